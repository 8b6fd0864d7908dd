// Behaviour of the portal's pages. Loaded from a file because the content security policy
// forbids inline scripts; every page works without it.
(function () {
  "use strict";

  // A slow phone connection invites a second tap, and a second count for the same date is
  // refused: disable the submit button once the form is on its way.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("portal-form")) return;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
  });
  // Coming back with the browser's Back button restores the page as it was left.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll(".portal-form button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });

  // User form: a commune and fields concern commune roles only.
  var role = document.getElementById("id_role");
  if (role) {
    var communeRoles = ["commune_officer", "commune_leader"];
    var communeOnly = ["field-commune", "field-fields"]
      .map(function (id) { return document.getElementById(id); })
      .filter(Boolean);
    var sync = function () {
      var hide = communeRoles.indexOf(role.value) === -1;
      communeOnly.forEach(function (block) { block.classList.toggle("d-none", hide); });
    };
    role.addEventListener("change", sync);
    sync();
  }

  // A chart's numbers are folded under it on a phone, and open beside it on a wide screen.
  if (window.matchMedia("(min-width: 992px)").matches) {
    document.querySelectorAll("details[data-wide-open]").forEach(function (details) {
      details.open = true;
    });
  }
})();
