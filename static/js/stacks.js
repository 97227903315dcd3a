// stackshare: the stack editor. Its tool picker is the shared one
// (site.js); without either, the form still works: the typed name is sent
// and matched on the server.
(() => {
  "use strict";

  // A refused edit (400) still shows its message in the editor.
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 400 && event.detail.target?.id === "tools") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After the editor is swapped in, keep the focus in the picker for the next tool.
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target?.id !== "tools" && event.detail.elt?.id !== "tools") return;
    document.getElementById("tool-picker")?.focus();
  });
})();
