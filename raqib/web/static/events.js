// raqib events page: an offline map (boundaries shipped with the app, drawn as SVG) and a timeline.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var box = { w: 25, e: 50, s: 27, n: 42 };
  function el(name, attrs) { var e = document.createElementNS(NS, name); for (var k in attrs) { e.setAttribute(k, attrs[k]); } return e; }
  function ringPath(ring) { return ring.map(function (p, i) { return (i ? "L" : "M") + p[0] + "," + (-p[1]); }).join("") + "Z"; }
  function geomPath(g) {
    var polys = g.type === "Polygon" ? [g.coordinates] : g.type === "MultiPolygon" ? g.coordinates : [];
    return polys.map(function (poly) { return poly.map(ringPath).join(""); }).join("");
  }
  function drawMap(map, geo, events) {
    var svg = el("svg", { viewBox: box.w + " " + (-box.n) + " " + (box.e - box.w) + " " + (box.n - box.s), role: "img", "aria-label": "map" });
    geo.features.forEach(function (f) {
      var p = f.properties || {};
      var cls = p.kind === "governorate" ? "governorate" : "country" + (p.iso_a2 === "SY" ? " sy" : "");
      var path = el("path", { d: geomPath(f.geometry), "class": cls, "fill-rule": "evenodd" });
      var t = el("title", {}); t.textContent = (p.name_ar || "") + " " + (p.name_en || ""); path.appendChild(t);
      svg.appendChild(path);
    });
    events.forEach(function (e) {
      var p = e.place || {};
      if (p.lat == null || p.lon == null) { return; }
      var r = Math.min(0.5, 0.08 + 0.03 * Math.sqrt((e.mentions || []).length));
      var c = el("circle", { cx: p.lon, cy: -p.lat, r: r, "class": "event " + e.type });
      var t = el("title", {});
      t.textContent = (e.date || "") + " " + e.type + " — " + (p.name || "") + " (" + (e.mentions || []).length + ")";
      c.appendChild(t);
      c.addEventListener("click", function () { var row = document.getElementById("event-" + e.id); if (row) { row.scrollIntoView({ block: "center" }); } });
      svg.appendChild(c);
    });
    map.appendChild(svg);
  }
  function drawTimeline(node, events) {
    var days = {};
    events.forEach(function (e) { if (e.date) { var m = e.date.slice(0, 7); days[m] = (days[m] || 0) + 1; } });
    var keys = Object.keys(days).sort();
    if (!keys.length) { return; }
    var W = 600, H = 160, top = Math.max.apply(null, keys.map(function (k) { return days[k]; }));
    var bw = Math.max(4, Math.min(40, (W - 40) / keys.length - 4));
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "timeline" });
    keys.forEach(function (k, i) {
      var h = (H - 40) * days[k] / top, x = 20 + i * (bw + 4);
      var r = el("rect", { x: x, y: H - 20 - h, width: bw, height: h, "class": "bar" });
      var t = el("title", {}); t.textContent = k + ": " + days[k]; r.appendChild(t); svg.appendChild(r);
      if (keys.length <= 24 || i % Math.ceil(keys.length / 12) === 0) {
        var lab = el("text", { x: x + bw / 2, y: H - 5, "text-anchor": "middle" }); lab.textContent = k; svg.appendChild(lab);
      }
    });
    node.appendChild(svg);
  }
  var map = document.getElementById("map");
  if (!map) { return; }
  Promise.all([fetch(map.getAttribute("data-geo")).then(function (r) { return r.json(); }),
               fetch(map.getAttribute("data-events")).then(function (r) { return r.json(); })])
    .then(function (res) { drawMap(map, res[0], res[1]); drawTimeline(document.getElementById("timeline"), res[1]); map.setAttribute("data-ready", "1"); })
    .catch(function (err) { map.textContent = String(err); });
})();
