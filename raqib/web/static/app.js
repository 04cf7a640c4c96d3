// raqib workbench: clicking a claim in the side list marks its words in the text, and back.
(function () {
  "use strict";
  function mark(id) {
    document.querySelectorAll(".hl.active, .claim-item.active").forEach(function (el) { el.classList.remove("active"); });
    if (!id) { return; }
    var first = null;
    document.querySelectorAll(".hl[data-c]").forEach(function (el) {
      if (el.getAttribute("data-c").split(" ").indexOf(id) >= 0) { el.classList.add("active"); first = first || el; }
    });
    var item = document.querySelector('.claim-item[data-claim="' + CSS.escape(id) + '"]');
    if (item) { item.classList.add("active"); }
    return { text: first, item: item };
  }
  document.addEventListener("click", function (ev) {
    if (ev.target.closest("a, button, input, select, textarea")) { return; }
    var item = ev.target.closest(".claim-item");
    if (item) {
      var m = mark(item.getAttribute("data-claim"));
      if (m && m.text) { m.text.scrollIntoView({ block: "center", behavior: "smooth" }); }
      showCluster(item);
      return;
    }
    var hl = ev.target.closest(".hl[data-c]");
    if (hl) { var r = mark(hl.getAttribute("data-c").split(" ")[0]); if (r && r.item) { r.item.scrollIntoView({ block: "nearest" }); } }
  });
  // a clicked claim shows its cluster under it: first appearance, size, who else said it,
  // what contradicts it (built with textContent: nothing from the archive becomes markup)
  // the interface words come from the page (raqib/web/ui.json), not from this script
  var list = document.querySelector(".claim-list[data-labels]");
  var LABELS = list ? JSON.parse(list.getAttribute("data-labels")) : {};
  function line(parent, label, value) {
    var p = document.createElement("p"), b = document.createElement("b");
    b.textContent = label + ": "; p.appendChild(b); p.appendChild(document.createTextNode(value)); parent.appendChild(p);
  }
  function showCluster(item) {
    var id = item.getAttribute("data-cluster");
    if (!id || item.querySelector(".cluster-box")) { return; }
    fetch("/api/clusters/" + encodeURIComponent(id)).then(function (r) { return r.ok ? r.json() : null; }).then(function (cl) {
      if (!cl || item.querySelector(".cluster-box")) { return; }
      var box = document.createElement("div");
      box.className = "cluster-box";
      line(box, LABELS.size, String(cl.size));
      if (cl.first) { line(box, LABELS.first, [cl.first.source || "", (cl.first.published || "").slice(0, 10), cl.first.speaker || ""].join(" · ")); }
      line(box, LABELS.speakers, (cl.speakers || []).join("، "));
      line(box, LABELS.contra, String((cl.contradicts || []).length));
      line(box, LABELS.corr, String((cl.corroborates || []).length));
      var a = document.createElement("a"); a.href = "/clusters/" + encodeURIComponent(id); a.textContent = LABELS.open;
      box.appendChild(a);
      item.appendChild(box);
    });
  }
  // the correction form offers only the fields that fit the chosen item
  var target = document.getElementById("target"), field = document.getElementById("field");
  function sync() {
    if (!target || !field) { return; }
    var kind = target.value.split(":")[0], firstOk = null;
    Array.prototype.forEach.call(field.options, function (o) {
      var ok = o.getAttribute("data-kind") === kind; o.hidden = !ok; o.disabled = !ok; if (ok && !firstOk) { firstOk = o; }
    });
    if (field.selectedOptions.length === 0 || field.selectedOptions[0].disabled) { if (firstOk) { field.value = firstOk.value; } }
  }
  if (target) { target.addEventListener("change", sync); sync(); }
  if (location.hash.indexOf("#claim-") === 0) { mark(location.hash.slice(7)); }
})();
