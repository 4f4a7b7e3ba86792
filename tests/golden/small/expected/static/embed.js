/* An embedded page tells the page around it its height, whether its frame may grow to it (a
   page whose body has the class `embed-fixed` may not: its frame keeps at most the height its
   code gives and scrolls inside), and where the item its address names is, so that the frame
   can fit and the page scroll to the item (see embed-host.js). */
(function () {
  "use strict";
  var host = window.parent;
  if (host === window) return;
  var root = document.documentElement;
  var sent = -1;

  function post(message) {
    message.explainerEmbed = 1;
    message.fixed = document.body.classList.contains("embed-fixed");
    host.postMessage(message, "*");
  }

  function sendHeight() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== sent) {
      sent = height;
      post({ height: height });
    }
  }

  function sendTarget() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (error) {
      return;
    }
    var target = id && document.getElementById(id);
    if (target) {
      var top = target.getBoundingClientRect().top + window.scrollY;
      var room = parseFloat(getComputedStyle(target).scrollMarginTop) || 0;
      sendHeight();
      post({ scrollTo: Math.max(0, Math.round(top - room)) });
    }
  }

  sendHeight();
  sendTarget();
  if (window.ResizeObserver) new ResizeObserver(sendHeight).observe(root);
  else window.addEventListener("resize", sendHeight);
  window.addEventListener("load", sendHeight);
  window.addEventListener("hashchange", sendTarget);
  window.addEventListener("message", function (event) {
    if (event.source === host && event.data && event.data.explainerEmbedHost === 1) {
      sent = -1;
      sendHeight();
      sendTarget();
    }
  });
})();
