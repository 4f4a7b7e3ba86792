/* On a page that embeds the site: make each of its frames as tall as what it shows — but a
   frame whose page asks for a fixed frame (a timeline) never taller than the height its code
   gives, so that it fits in an article and scrolls inside — and scroll to an item a growing
   frame's address names. Only messages from the site that served this script, sent by one of
   this page's frames, are heard, and only finite numbers in bounds. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src).origin;
  var flag = "explainerEmbeds " + origin;
  if (window[flag]) return;
  window[flag] = true;
  var LIMIT = 1000000;

  function frameOf(source) {
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (source && frames[i].contentWindow === source) return frames[i];
    }
    return null;
  }

  function pixels(value) {
    return typeof value === "number" && isFinite(value) && value >= 0 && value <= LIMIT;
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || typeof data !== "object") return;
    if (data.explainerEmbed !== 1) return;
    var frame = frameOf(event.source);
    if (!frame) return;
    var most = LIMIT;
    if (data.fixed === true) {
      // The height its code gives, in pixels; a frame without one keeps the height it has.
      most = Number(frame.getAttribute("height"));
      if (!pixels(most) || most === 0) return;
    }
    if (pixels(data.height)) frame.style.height = Math.min(Math.ceil(data.height), most) + "px";
    // A fixed frame scrolls to its item inside itself; the page stays where the reader is.
    if (pixels(data.scrollTo) && data.fixed !== true) {
      var box = frame.getBoundingClientRect();
      // Only a frame the reader can see moves the page: one further down does not pull
      // the reader away from what they are reading.
      if (box.bottom > 0 && box.top < window.innerHeight) {
        window.scrollTo(window.scrollX, window.scrollY + box.top + Math.min(data.scrollTo, box.height));
      }
    }
  });

  // Frames that loaded before this script have spoken already: ask them again.
  var frames = document.getElementsByTagName("iframe");
  for (var i = 0; i < frames.length; i++) {
    if (frames[i].src.indexOf(origin + "/") === 0 && frames[i].contentWindow) {
      frames[i].contentWindow.postMessage({ explainerEmbedHost: 1 }, origin);
    }
  }
})();
