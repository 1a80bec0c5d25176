// The claim form without a reload: only the questions and documents of the care chosen show.
// Without JavaScript every question of the kind of care shows, each saying which care it is for.
(function () {
  "use strict";
  function chosen(form) {
    return form.querySelector("input[name=benefit_code]:checked") ||
      form.querySelector("input[type=hidden][name=benefit_code]");
  }
  function update(form) {
    var care = chosen(form);
    if (!care) { return; }
    var needs = (care.getAttribute("data-needs") || "").split(" ");
    var basket = form.querySelector("input[name=basket]:checked");
    form.querySelectorAll("[data-when]").forEach(function (element) {
      var shown = needs.indexOf(element.getAttribute("data-when")) !== -1;
      var unless = element.getAttribute("data-unless-basket");
      if (unless && basket && basket.value === unless) { shown = false; }
      element.hidden = !shown;
    });
    form.querySelectorAll("[data-for]").forEach(function (element) {
      element.hidden = element.getAttribute("data-for").split(" ").indexOf(care.value) === -1;
    });
  }
  // A plan with restricted zones: their conditions and questions only for a country in one of them.
  function zone(form) {
    var country = form.querySelector("select[name=care_country]");
    var fieldset = form.querySelector("fieldset.zone");
    if (!country || !fieldset) { return; }
    var any = false;
    fieldset.querySelectorAll("[data-zone]").forEach(function (notice) {
      var shown = notice.getAttribute("data-zone").split(" ").indexOf(country.value) !== -1;
      notice.hidden = !shown;
      any = any || shown;
    });
    fieldset.hidden = !any;
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.care-form").forEach(function (form) {
      form.classList.add("js");
      update(form);
      zone(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "benefit_code" || event.target.name === "basket") { update(form); }
        if (event.target.name === "care_country") { zone(form); }
      });
    });
  });
})();
