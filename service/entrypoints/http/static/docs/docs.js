// Starts Swagger UI on this service's description. A file rather than an inline script, so that
// the page runs under Content-Security-Policy default-src 'self'.
window.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: node.dataset.url,
    domNode: node,
    deepLinking: true,
    // Swagger UI's default validator badge asks a remote site to check the description.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
