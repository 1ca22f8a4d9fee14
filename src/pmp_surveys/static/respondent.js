// Progressive enhancement for the respondent pages; everything works without this file.
// 1. Show-if: a question whose condition is not met is hidden and its inputs disabled (so they
//    are not sent). Without JavaScript every question shows with an "answer only if" note.
// 2. Error summary: focus moves to it after a failed submit.
// 3. A second click on submit while the first is in flight is ignored (the server would store
//    one response anyway: the form carries a one-time key).
// 4. Numbering follows the visible questions ("Question 2 of 10"), without gaps for hidden ones.
// 5. An error-summary link scrolls its question's text into view, then focuses the input.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function selected(form, name) {
    var values = [];
    var inputs = form.querySelectorAll("input[name='" + name + "']");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].checked && !inputs[i].disabled) values.push(inputs[i].value);
    }
    return values;
  }

  function update(form) {
    var dependents = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < dependents.length; i++) {
      var box = dependents[i];
      var wanted = box.getAttribute("data-show-values").split(" ");
      var chosen = selected(form, box.getAttribute("data-show-if"));
      var show = chosen.some(function (v) { return wanted.indexOf(v) !== -1; });
      box.hidden = !show;
      var inputs = box.querySelectorAll("input, textarea, select");
      for (var j = 0; j < inputs.length; j++) inputs[j].disabled = !show;
    }
    renumber(form);
  }

  function renumber(form) {
    var format = form.getAttribute("data-number-format");
    if (!format) return;
    var boxes = form.querySelectorAll(".question");
    var visible = [];
    for (var i = 0; i < boxes.length; i++) if (!boxes[i].hidden) visible.push(boxes[i]);
    var numbers = {};
    for (var k = 0; k < visible.length; k++) {
      numbers[visible[k].id] = k + 1;
      var text = format.replace("{n}", String(k + 1)).replace("{total}", String(visible.length));
      var marks = visible[k].querySelectorAll("[data-qn]");
      for (var m = 0; m < marks.length; m++) {
        marks[m].textContent = text + (marks[m].getAttribute("data-qn-suffix") || "");
      }
    }
    var summary = document.getElementById("error-summary");
    var short = summary && summary.getAttribute("data-number-format");
    if (!short) return;
    var links = summary.querySelectorAll("a[data-q]");
    for (var j = 0; j < links.length; j++) {
      var n = numbers[links[j].getAttribute("data-q")];
      if (n) links[j].textContent = short.replace("{n}", String(n)) + ": " + links[j].getAttribute("data-message");
    }
  }

  function linkSummary(summary) {
    var links = summary.querySelectorAll("a[href^='#']");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (event) {
        var input = document.getElementById(this.getAttribute("href").slice(1));
        if (!input) return;
        event.preventDefault();
        var box = input.closest(".question") || input;
        box.scrollIntoView({ block: "start" });
        input.focus({ preventScroll: true });
      });
    }
  }

  function init() {
    var form = document.querySelector("form.survey-form");
    if (form) {
      update(form);
      form.addEventListener("change", function () { update(form); });
      var sending = false;
      form.addEventListener("submit", function (event) {
        if (sending) { event.preventDefault(); return; }
        sending = true;
        window.setTimeout(function () { sending = false; }, 8000);
      });
    }
    var summary = document.getElementById("error-summary");
    if (summary) { linkSummary(summary); summary.focus(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
