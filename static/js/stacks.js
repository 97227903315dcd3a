// stackshare: the stack editor's tool picker. Without it, the form still
// works: the typed name is sent and matched on the server.
(() => {
  "use strict";

  // Picking an option fills the hidden slug and submits the form (htmx posts it).
  document.addEventListener("click", (event) => {
    const option = event.target.closest?.("[data-tool-picker] .autocomplete__option");
    if (!option) return;
    event.preventDefault();
    const form = option.closest("form");
    form.querySelector('input[name="tool"]').value = option.dataset.slug;
    const input = form.querySelector('input[role="combobox"]');
    input.value = option.dataset.name;
    const box = document.getElementById(input.getAttribute("aria-controls"));
    if (box) box.replaceChildren();
    input.setAttribute("aria-expanded", "false");
    form.requestSubmit();
  });

  // Typing again forgets an earlier pick.
  document.addEventListener("input", (event) => {
    const input = event.target.closest?.('[data-tool-picker] input[role="combobox"]');
    if (input) input.form.querySelector('input[name="tool"]').value = "";
  });

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
