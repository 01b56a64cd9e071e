// Search the site in the browser: MiniSearch indexes window.MEAKG_SEARCH (assets/search-index.js, written
// with the site), so it works offline and from file://. The query is the page's ?q=, or what is typed.
document.addEventListener("DOMContentLoaded", function () {
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  var shown = 50;
  var search = new MiniSearch({
    fields: ["title", "names", "text"],
    storeFields: ["url", "title", "kind", "text", "names"],
    searchOptions: {boost: {names: 4, title: 3}, prefix: true, fuzzy: 0.15, combineWith: "AND"}
  });
  search.addAll(window.MEAKG_SEARCH);

  function snippet(text, terms) {
    if (!text) { return ""; }
    var lower = text.toLowerCase(), at = -1;
    terms.forEach(function (term) { var i = lower.indexOf(term); if (i >= 0 && (at < 0 || i < at)) { at = i; } });
    var start = Math.max(0, at - 60);
    var cut = text.slice(start, start + 220);
    return (start > 0 ? "… " : "") + cut + (start + 220 < text.length ? " …" : "");
  }

  function show(query) {
    list.textContent = "";
    query = query.trim();
    if (!query) { status.textContent = "Type a name, a target or words from a document."; return; }
    // a thing named exactly what was typed comes first (AEWA the agreement before AEWA MOP6 the meeting and
    // before the question pages about AEWA), then other pages of that name, then the rest by score
    var typed = query.toLowerCase().replace(/\s+/g, " ");
    var found = search.search(query).map(function (hit, rank) {
      var names = [hit.title.split(": ")[0]].concat(hit.names ? hit.names.split(" | ") : []);
      var exact = names.some(function (name) { return name.toLowerCase() === typed; });
      return {hit: hit, rank: rank, exact: exact, thing: exact && hit.url.indexOf("id/") === 0};
    }).sort(function (a, b) {
      return (b.thing - a.thing) || (b.exact - a.exact) || (a.rank - b.rank);
    }).map(function (r) { return r.hit; });
    status.textContent = found.length === 0 ? "Nothing found for “" + query + "”." :
      found.length + " result" + (found.length === 1 ? "" : "s") + " for “" + query + "”" +
      (found.length > shown ? ", the first " + shown + " shown." : ".");
    found.slice(0, shown).forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = hit.url;
      link.textContent = hit.title;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = hit.kind;
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(kind);
      var words = snippet(hit.text, hit.terms);
      if (words) {
        var text = document.createElement("p");
        text.textContent = words;
        item.appendChild(text);
      }
      list.appendChild(item);
    });
  }

  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;
  show(query);
  input.addEventListener("input", function () { show(input.value); });
  input.form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
});
