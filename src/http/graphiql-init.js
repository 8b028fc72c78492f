// GraphiQL start-up for the hub. A static file (no inline script) so the page runs under a strict
// Content-Security-Policy; React, ReactDOM and GraphiQL come from the UMD builds served beside it.
(function () {
  "use strict";
  var PLACEHOLDER = "在此粘贴令牌/paste-token-here";
  var base = GraphiQL.createFetcher({ url: "/graphql" });

  // An untouched headers editor still holds the placeholder: query as PUBLIC instead of failing with 401.
  function fetcher(params, opts) {
    var headers = opts && opts.headers;
    if (headers) {
      var kept = {};
      Object.keys(headers).forEach(function (name) {
        var value = headers[name];
        var placeholder = name.toLowerCase() === "authorization" && String(value).indexOf(PLACEHOLDER) !== -1;
        if (!placeholder) kept[name] = value;
      });
      opts = Object.assign({}, opts, { headers: kept });
    }
    return base(params, opts);
  }

  var defaultQuery =
    "# 安责险数据共享枢纽：在“Headers”中粘贴令牌后运行 / paste your token under Headers, then run\n" +
    "# 不带令牌时以 PUBLIC 身份查询，只能使用 insuranceStatus(uscc) / without a token you query as PUBLIC\n" +
    "# 我的身份 / who am I\nquery WhoAmI {\n  viewer {\n    sub\n    role\n    org\n  }\n}\n";

  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: JSON.stringify({ Authorization: "Bearer " + PLACEHOLDER }, null, 2),
      defaultEditorToolsVisibility: "headers",
      defaultQuery: defaultQuery,
    }),
  );
})();
