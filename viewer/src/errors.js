// The page's one error banner: the server's message (which names the file and dataset).
export function showError(error) {
  const box = document.getElementById("error");
  box.hidden = false;
  box.textContent = `error: ${error.message || error}`;
  console.error(error);
}
