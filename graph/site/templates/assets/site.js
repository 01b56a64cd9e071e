// The pages work without this script; with it, long tables and lists get a filter box, a column header
// sorts its table, and a question's "choose a value" form opens that value's page.
document.addEventListener("DOMContentLoaded", function () {
  var FILTER_FROM = 12;   // items before a list or table gets a filter box
  var filters = 0;

  // ------------------------------------------------------------------ sorting
  document.querySelectorAll("table.sortable thead th").forEach(function (th, index) {
    th.tabIndex = 0;
    th.title = "Sort by this column";
    function sort() {
      var table = th.closest("table");
      var body = table.tBodies[0];
      var up = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
        var nx = parseFloat(x.replace(/,/g, "")), ny = parseFloat(y.replace(/,/g, ""));
        var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "en", {numeric: true});
        return up ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
  });

  // ------------------------------------------------------------------ filters
  function items(box) {
    if (box.tagName === "TABLE") { return Array.prototype.slice.call(box.tBodies[0].rows).map(function (r) { return [r]; }); }
    if (box.tagName === "DL") {
      return Array.prototype.slice.call(box.querySelectorAll(":scope > dt")).map(function (dt) {
        return [dt, dt.nextElementSibling];
      });
    }
    return Array.prototype.slice.call(box.children).map(function (li) { return [li]; });
  }
  document.querySelectorAll(".filterable").forEach(function (box) {
    var all = items(box);
    if (all.length < FILTER_FROM) { return; }
    filters += 1;
    var bar = document.createElement("div");
    bar.className = "filter";
    var id = "filter-" + filters;
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Filter";
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.placeholder = "words in the " + (box.tagName === "TABLE" ? "rows" : "list");
    var count = document.createElement("span");
    count.setAttribute("role", "status");
    count.textContent = all.length + " shown";
    bar.appendChild(label);
    bar.appendChild(input);
    bar.appendChild(count);
    var where = box.parentElement.classList.contains("scroll") ? box.parentElement : box;
    where.parentElement.insertBefore(bar, where);
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var visible = 0;
      all.forEach(function (group) {
        var text = group.map(function (el) { return el ? el.textContent : ""; }).join(" ").toLowerCase();
        var keep = words.every(function (w) { return text.indexOf(w) >= 0; });
        group.forEach(function (el) { if (el) { el.hidden = !keep; } });
        if (keep) { visible += 1; }
      });
      count.textContent = visible + " of " + all.length + " shown";
    });
  });

  // ------------------------------------------------------------------ a question's values
  document.querySelectorAll("form.go").forEach(function (form) {
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.location.href = form.querySelector("select").value;
    });
  });
});
