"""The server of `borderland view`: the page built from viewer/ and a JSON API over the
package's readers and analysis (catalog.py: what is shown; server.py: HTTP;
__main__.py: the command line)."""
