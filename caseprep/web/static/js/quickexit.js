/* Quick exit: the link works without JavaScript (it goes to /exit, which clears the
   session and redirects to a neutral site). With JavaScript, the Esc key triggers it too,
   and location.replace() swaps this page out of the history so Back does not return here. */
(function () {
  "use strict";
  function leave(event) {
    var link = document.getElementById("quick-exit");
    if (!link) { return; }
    if (event) { event.preventDefault(); }
    document.body.classList.add("is-leaving");
    window.location.replace(link.href);
  }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("#quick-exit")) { leave(event); }
  });
}());
