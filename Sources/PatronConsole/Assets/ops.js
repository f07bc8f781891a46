// Programme and operations pages: small helpers that work without it too.
// 1. A file input with data-fills="ID" copies the chosen file's text into the textarea ID (the form sends the text),
//    and its name into the input named by data-name.
// 2. An element with data-poll="URL" is refreshed from URL (JSON: percent, rowsDone, rows, finished) every second
//    until finished, then the page reloads to show the result. Without JavaScript the page's refresh link does this.
(function () {
  "use strict";
  document.querySelectorAll("input[type=file][data-fills]").forEach(function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-fills"));
      var file = input.files && input.files[0];
      if (!target || !file) { return; }
      var reader = new FileReader();
      reader.onload = function () { target.value = String(reader.result); };
      var name = input.getAttribute("data-name") && document.getElementById(input.getAttribute("data-name"));
      if (name) { name.value = file.name; }
      reader.readAsText(file);
    });
  });
  document.querySelectorAll("[data-poll]").forEach(function (element) {
    var url = element.getAttribute("data-poll");
    var bar = element.querySelector("progress");
    var label = element.querySelector("[data-progress-label]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (status) {
          if (!status) { return; }
          if (bar) { bar.value = status.percent; }
          if (label) { label.textContent = status.rowsDone + " / " + status.rows; }
          if (status.finished) { window.location.reload(); } else { window.setTimeout(tick, 1000); }
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    window.setTimeout(tick, 500);
  });
})();
