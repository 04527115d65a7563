/* Follows the generation of a sitting's acts: updates the progress bar and its text every few
   seconds, and reloads the page once every act is done (its links then appear). Without this
   script the page refreshes itself (<noscript> meta refresh) and offers an "Actualiser" link. */
(function () {
  "use strict";
  var zone = document.querySelector("[data-progression]");
  if (!zone || !window.fetch) {
    return;
  }
  var url = zone.getAttribute("data-progression");
  var barre = zone.querySelector("progress");
  var texte = zone.querySelector("[data-progression-texte]");

  function suivre() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error(String(reponse.status));
        }
        return reponse.json();
      })
      .then(function (p) {
        barre.max = Math.max(p.total, 1);
        barre.value = p.faits + p.erreurs;
        barre.textContent = (p.faits + p.erreurs) + " sur " + p.total;
        if (texte.textContent !== p.libelle) {
          texte.textContent = p.libelle;
        }
        if (p.termine) {
          window.location.reload();
        } else {
          window.setTimeout(suivre, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(suivre, 5000);
      });
  }

  window.setTimeout(suivre, 2000);
})();
