// Swagger UI draws itself dark under html.dark-mode; follow the reader's
// colour scheme as the rest of the site does (it uses the media query).
(function () {
  "use strict";
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  function follow() {
    document.documentElement.classList.toggle("dark-mode", dark.matches);
  }
  follow();
  dark.addEventListener("change", follow);
})();
