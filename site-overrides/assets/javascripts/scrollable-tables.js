// Tables that do not fit. A content table stacks into one block per row (reader.css) on a phone, and on
// a wider screen when it is wider than the text column: each cell is labelled with its column's name
// here (data-label), data-stacked is "on" while it is stacked, and the table keeps its table roles, so
// screen readers still announce rows and columns when CSS draws them as blocks.
//
// A table that is still wider than the screen (one that does not stack) sits in Material's box that
// scrolls sideways. Keyboard users can only scroll a box they can focus (WCAG 2.1.1), so while a box
// actually scrolls it gets a tab stop, the region role and the name of the section it is in; when it
// fits again it loses them, so desktop readers get no extra stops.
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

  var NARROW = window.matchMedia("(max-width: 44.9375em)");

  function label(table) {
    if (table.hasAttribute("data-stacked")) return true;
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    if (!headers.length) return false;
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody").forEach(function (group) { group.setAttribute("role", "rowgroup"); });
    table.querySelectorAll("tr").forEach(function (row) { row.setAttribute("role", "row"); });
    table.querySelectorAll("th").forEach(function (th) { th.setAttribute("role", "columnheader"); });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.children, function (cell, i) {
        cell.setAttribute("role", "cell");
        if (headers[i]) cell.setAttribute("data-label", headers[i]);
      });
    });
    table.setAttribute("data-stacked", "off");
    return true;
  }

  function stack(table) {
    if (!label(table)) return;
    table.setAttribute("data-stacked", "off");  // measured as a table
    var box = table.closest(".md-typeset__scrollwrap") || table.parentElement;
    var tooWide = table.scrollWidth > table.clientWidth + 1 || table.offsetWidth > box.clientWidth + 1;
    table.setAttribute("data-stacked", NARROW.matches || tooWide ? "on" : "off");
  }

  function update() {
    document.querySelectorAll(".md-typeset table:not([class])").forEach(stack);
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
  // runs after that. Without the bundle (no document$) the tables are labelled on load.
  if (window.document$) window.document$.subscribe(update);
  else document.addEventListener("DOMContentLoaded", update);
  window.addEventListener("resize", update);
})();
