// Vite builds the page into dist/, which `borderland view` serves; relative asset paths so the
// bundle works from any folder, and nothing is fetched from outside (no CDN).
import { defineConfig } from "vite";

export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/api": "http://127.0.0.1:8050" } }, // `npm run dev` against a running `borderland view`
});
