/* Keyboard access to the header's menu and search, and to the menu's sections on narrow screens.
 *
 * Material's buttons for the menu and search are labels of its checkboxes (#__drawer,
 * #__search): a pointer can press them, the keyboard cannot reach them. The header holds a
 * real, hidden <button data-toggle="..."> beside each; this shows the button in the label's
 * place, toggles the checkbox when it is pressed, and keeps aria-expanded in step. On narrow
 * screens the menu's sections (and the "back" titles inside them) are labels too: they are made
 * focusable there and pressed by Space (Material presses a focused label on Enter). Without JavaScript nothing changes: the labels
 * still work for a pointer. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 76.2344em)");
  var MENU_LABELS = ".md-sidebar--primary label.md-nav__link[for], .md-sidebar--primary label.md-nav__title[for]";

  function enhanceButtons() {
    document.querySelectorAll("button.keyboard-toggle[data-toggle]").forEach(function (button) {
      if (button.dataset.ready) return;
      var toggle = document.getElementById(button.dataset.toggle);
      var label = document.querySelector("label.md-header__button[for='" + button.dataset.toggle + "']");
      if (!toggle || !label) return;
      button.dataset.ready = "true";
      label.hidden = true;
      button.hidden = false;
      var sync = function () { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); };
      button.addEventListener("click", function () {
        toggle.checked = !toggle.checked;
        toggle.dispatchEvent(new Event("change"));
        sync();
        if (toggle.checked && button.dataset.toggle === "__search") {
          var input = document.querySelector(".md-search__input");
          if (input) input.focus();
        }
      });
      toggle.addEventListener("change", sync);
    });
  }

  function menuLabels() {
    document.querySelectorAll(MENU_LABELS).forEach(function (label) {
      if (narrow.matches) label.setAttribute("tabindex", "0");
      else if (label.getAttribute("tabindex") === "0") label.setAttribute("tabindex", "");
    });
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.matches(MENU_LABELS)) return;
    if (event.key !== " ") return;  // Material itself clicks a focused label on Enter
    event.preventDefault();
    target.click();
  });
  narrow.addEventListener("change", menuLabels);
  // The menu is part of the page that instant navigation replaces: label it again each time.
  new MutationObserver(menuLabels).observe(document.body, { childList: true, subtree: false });

  function start() { enhanceButtons(); menuLabels(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
