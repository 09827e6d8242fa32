// Starts Swagger UI on /api/docs (a file, not an inline script: the CSP allows scripts from this site only).
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]');
  window.SwaggerUIBundle({
    url: document.body.getAttribute("data-spec-url"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    requestInterceptor: function (request) {
      // Session writes need the CSRF token; a bearer token typed into "Authorize" needs nothing more.
      if (csrf && request.method && request.method.toUpperCase() !== "GET") {
        request.headers["X-CSRFToken"] = csrf.getAttribute("content");
      }
      return request;
    }
  });
})();
