// Small progressive enhancements; every page works without JavaScript.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');

  // Markdown preview: <textarea data-preview="ID"> renders into #ID via POST /preview (sanitised server-side).
  function wirePreview(area) {
    var target = document.getElementById(area.dataset.preview);
    var url = area.dataset.previewUrl;
    if (!target || !url) return;
    var timer = null;
    function render() {
      var body = new FormData();
      body.append("text", area.value);
      fetch(url, { method: "POST", body: body, credentials: "same-origin",
                   headers: { "X-CSRFToken": csrf ? csrf.content : "" } })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { target.innerHTML = html; });
    }
    area.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(render, 300); });
    render();
  }
  document.querySelectorAll("textarea[data-preview]").forEach(wirePreview);

  // A table wider than its box scrolls inside it (.table-wrap): make that box a named, focusable region so
  // a keyboard user can scroll it too (WCAG 2.1.1); boxes that do not scroll stay out of the tab order.
  function markScrollable() {
    document.querySelectorAll(".table-wrap").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var heading = box.closest("section, .card, main");
        heading = heading && heading.querySelector("h1, h2, h3");
        box.tabIndex = 0;
        box.dataset.kbScroll = "1";
        if (!box.hasAttribute("role")) box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute("aria-label", (heading ? heading.textContent : document.title).trim());
        }
      } else if (!scrolls && box.dataset.kbScroll) {
        box.removeAttribute("tabindex");
        delete box.dataset.kbScroll;
      }
    });
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);

  // Pickers (templates/_picker.html): the filter box hides choices that do not match; ticked ones stay.
  document.querySelectorAll("input[data-picker-filter]").forEach(function (box) {
    var list = document.getElementById(box.dataset.pickerFilter);
    if (!list) return;
    box.hidden = false;
    box.addEventListener("keydown", function (e) { if (e.key === "Enter") e.preventDefault(); });
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      list.querySelectorAll("li").forEach(function (li) {
        var tick = li.querySelector("input");
        li.hidden = !!q && !(tick && tick.checked) && li.textContent.toLowerCase().indexOf(q) === -1;
      });
    });
  });

  // After a failed submit, put the keyboard on the first field in error (its errors are its description).
  var invalid = document.querySelector('[aria-invalid="true"]');
  if (invalid) invalid.focus();

  // Confirm before destructive-looking actions (archive etc.).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
  });

  // Warn before leaving a form with unsaved typing.
  document.querySelectorAll("form[data-guard]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (e) { if (dirty) { e.preventDefault(); e.returnValue = ""; } });
  });
})();
