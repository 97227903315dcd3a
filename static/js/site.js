// stackshare: small progressive enhancements. Everything works without it.
(() => {
  "use strict";

  // Autocomplete: any input[role=combobox] whose aria-controls names a results box.
  const listFor = (input) => document.getElementById(input.getAttribute("aria-controls"));
  const optionsOf = (box) => (box ? [...box.querySelectorAll(".autocomplete__option")] : []);

  const select = (input, option) => {
    const box = listFor(input);
    optionsOf(box).forEach((o, i) => {
      if (!o.id) o.id = `${box.id}-option-${i}`;
      o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };

  // A results box's live region ("<box id>-status") tells screen readers
  // how many suggestions arrived; it stays in the page, so changes to it
  // are announced.
  const announce = (box, text) => {
    const status = document.getElementById(`${box.id}-status`);
    if (status && status.textContent !== text) status.textContent = text;
  };

  const close = (input) => {
    const box = listFor(input);
    if (box) {
      box.replaceChildren();
      announce(box, "");
    }
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  };

  document.addEventListener("keydown", (event) => {
    const input = event.target.closest?.('input[role="combobox"][aria-controls]');
    if (input) {
      const options = optionsOf(listFor(input));
      const current = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        select(input, options[(current + step + options.length) % options.length]);
      } else if (event.key === "Enter" && current >= 0) {
        event.preventDefault();
        options[current].click();
      } else if (event.key === "Escape" && listFor(input)?.childElementCount) {
        event.preventDefault();
        close(input);
      }
      return;
    }
    if (event.key === "Escape") {
      document.querySelectorAll("details.menu[open], details.nav-toggle[open]").forEach((menu) => {
        menu.removeAttribute("open");
        if (menu.contains(document.activeElement)) menu.querySelector("summary")?.focus();
      });
    }
  });

  // After htmx fills a results box, tell the combobox whether it is open.
  document.addEventListener("htmx:afterSwap", (event) => {
    const box = event.detail.target;
    if (!box?.id) return;
    document.querySelectorAll(`[role="combobox"][aria-controls="${box.id}"]`).forEach((input) => {
      input.setAttribute("aria-expanded", box.childElementCount ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
      announce(box, box.querySelector("[data-announce]")?.dataset.announce || "");
    });
  });

  // A refused write (suspended, over a rate limit) answers 4xx and names
  // where its message goes (HX-Retarget); htmx would otherwise drop it.
  document.addEventListener("htmx:beforeSwap", (event) => {
    const xhr = event.detail.xhr;
    if (xhr.status >= 400 && xhr.status < 500 && xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // In a tool picker (includes/_tool_picker.html), choosing a suggestion
  // fills the field, and the hidden slug where there is one, instead of
  // opening the tool's page; a picker that adds at once submits its form.
  document.addEventListener("click", (event) => {
    const option = event.target.closest?.("[data-picker] .autocomplete__option");
    if (!option) return;
    const picker = option.closest("[data-picker]");
    const input = picker.querySelector('input[role="combobox"]');
    event.preventDefault();
    input.value = option.dataset.name;
    const slug = picker.querySelector("[data-picker-slug]");
    if (slug) slug.value = option.dataset.slug;
    close(input);
    input.dispatchEvent(new CustomEvent("stackshare:picked", { bubbles: true, detail: option.dataset }));
    if (picker.hasAttribute("data-submit-on-pick")) input.form.requestSubmit();
    else input.focus();
  });

  // The autocomplete reads "q"; a picker's field keeps the name its form
  // needs (the post form has one per list of tools), so its text is sent as q.
  document.addEventListener("htmx:configRequest", (event) => {
    const input = event.detail.elt;
    if (!input.matches?.('[data-picker] input[role="combobox"]') || input.name === "q") return;
    event.detail.parameters.q = input.value;
    delete event.detail.parameters[input.name];
  });

  // Typing again forgets an earlier pick.
  document.addEventListener("input", (event) => {
    const input = event.target.closest?.('[data-picker] input[role="combobox"]');
    const slug = input?.closest("[data-picker]").querySelector("[data-picker-slug]");
    if (slug) slug.value = "";
  });

  // Clicking elsewhere closes open menus and autocomplete dropdowns.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.menu[open], details.nav-toggle[open]").forEach((menu) => {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
    document.querySelectorAll('input[role="combobox"][aria-expanded="true"]').forEach((input) => {
      const form = input.closest("form") || input.parentElement;
      if (!form.contains(event.target)) close(input);
    });
  });
})();
