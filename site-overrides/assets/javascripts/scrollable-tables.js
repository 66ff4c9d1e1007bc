// Material wraps every content table in a box that scrolls sideways when the table is wider than
// the screen (a dosage table on a phone). Keyboard users can only scroll a box they can focus
// (WCAG 2.1.1), so while a box actually scrolls it gets a tab stop, the region role and the name
// of the section it is in; when it fits again it loses them, so desktop readers get no extra stops.
(function () {
  "use strict";

  function sectionName(box) {
    var caption = box.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var node = box.previousElementSibling; node; node = node.previousElementSibling) {
      if (/^H[1-6]$/.test(node.tagName)) {
        var heading = node.cloneNode(true);
        heading.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
        return "Table: " + heading.textContent.trim();
      }
    }
    return "Table";
  }

  function update() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", sectionName(box));
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  // Material wraps the tables when its document$ stream emits; subscribed after the bundle, this
  // runs after that. Without the bundle (no document$) there are no boxes to fix.
  if (window.document$) window.document$.subscribe(update);
  window.addEventListener("resize", update);
})();
