/* Results: a link to a route ("start here", the police note) opens its folded card. Without
   JavaScript the link still scrolls to the card's one-line title, which opens on a tap. */
(function () {
  "use strict";
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    var fold = target && target.querySelector("details.route__fold");
    if (!fold) { return; }
    for (var el = fold; el; el = el.parentElement && el.parentElement.closest("details")) {
      el.open = true;  /* the card, and the "may also apply" fold around it */
    }
    target.scrollIntoView();
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
}());
