// Starts Swagger UI on the API docs page (no inline script: the CSP allows none).
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrf = document.body.getAttribute("data-csrf-token");
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.plugins = [SwaggerUIBundle.plugins.DownloadUrl];
  settings.requestInterceptor = function (request) {
    // The signed-in session may try things out too; writes then need the CSRF token.
    var auth = request.headers && (request.headers.Authorization || request.headers.authorization);
    if (csrf && !auth) {
      request.headers["X-CSRFToken"] = csrf;
    }
    return request;
  };
  window.ui = SwaggerUIBundle(settings);
})();
