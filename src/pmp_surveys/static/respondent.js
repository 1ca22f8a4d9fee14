// Progressive enhancement for the respondent pages; everything works without this file.
// 1. Show-if: a question whose condition is not met is hidden and its inputs disabled (so they
//    are not sent). Without JavaScript every question shows with an "answer only if" note.
// 2. Error summary: focus moves to it after a failed submit.
// 3. A second click on submit while the first is in flight is ignored (the server would store
//    one response anyway: the form carries a one-time key).
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
    if (summary) summary.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
