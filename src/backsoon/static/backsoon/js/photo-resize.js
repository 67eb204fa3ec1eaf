/* Back Soon: shrink a chosen photo on the phone before it is uploaded, so it gets through
   a slow connection. Progressive enhancement: whenever something is missing or fails, the
   original file stays selected and the server shrinks it instead.

   <input type="file" name="photo" data-resize-photo
          data-photo-working="Getting the photo ready…" data-photo-ready="Photo ready">
   <p data-photo-status role="status"></p>   (anywhere in the same form; keep it in the page,
                                              empty, so screen readers hear it change)
   While it works the input carries data-photo-state="working", then "ready" (a photo the
   browser could read is selected, shrunk or already small) or "original" (left as chosen). */
(function () {
  "use strict";

  var MAX_EDGE = 1600;
  var QUALITY = 0.82;
  var SHRINKABLE = /^image\/(jpeg|png|webp|heic|heif)$/i;
  // A 2x1 JPEG tagged "turn 90°": a browser that draws photos upright reports it as 1x2.
  var ORIENTATION_PROBE =
    "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYA" +
    "AAAAAAD/2wBDAP//////////////////////////////////////////////////////////////////////////" +
    "////////////wAALCAABAAIBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAA//EABQQAQAAAAAAAAAAAAAAAAAAAAD/" +
    "2gAIAQEAAD8AR//Z";

  var uprightAnswer = null;
  var uprightWaiting = [];
  var nextTicket = 1;

  function browserCanShrink() {
    try {
      var canvas = document.createElement("canvas");
      new DataTransfer();
      return !!(canvas.getContext && canvas.getContext("2d") && canvas.toBlob &&
        window.URL && URL.createObjectURL && window.File);
    } catch (e) {
      return false;
    }
  }

  // Older browsers ignore a photo's orientation tag; our copy would then come out sideways.
  function drawsPhotosUpright(callback) {
    if (uprightAnswer !== null) return callback(uprightAnswer);
    uprightWaiting.push(callback);
    if (uprightWaiting.length > 1) return;
    var probe = new Image();
    function answer(upright) {
      uprightAnswer = upright;
      var waiting = uprightWaiting;
      uprightWaiting = [];
      for (var i = 0; i < waiting.length; i++) waiting[i](upright);
    }
    probe.onload = function () { answer(probe.naturalWidth === 1 && probe.naturalHeight === 2); };
    probe.onerror = function () { answer(false); };
    probe.src = ORIENTATION_PROBE;
  }

  function newCanvas(width, height) {
    var canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return canvas;
  }

  function release(canvas) {
    // iOS Safari keeps a canvas's memory until it is sized down.
    canvas.width = 0;
    canvas.height = 0;
  }

  function drawSmaller(image, width, height) {
    var source = image;
    var sourceWidth = image.naturalWidth;
    var sourceHeight = image.naturalHeight;
    // Halving in steps keeps detail that one big jump would blur or alias on older browsers.
    while (sourceWidth / 2 >= width) {
      var half = newCanvas(Math.round(sourceWidth / 2), Math.round(sourceHeight / 2));
      half.getContext("2d").drawImage(source, 0, 0, half.width, half.height);
      if (source !== image) release(source);
      source = half;
      sourceWidth = half.width;
      sourceHeight = half.height;
    }
    var canvas = newCanvas(width, height);
    var context = canvas.getContext("2d");
    context.imageSmoothingQuality = "high";
    context.fillStyle = "#fff";  // transparent parts become white, as on the server
    context.fillRect(0, 0, width, height);
    context.drawImage(source, 0, 0, width, height);
    if (source !== image) release(source);
    return canvas;
  }

  // Calls done(blob) with a smaller JPEG, done("keep") when the original is already the better
  // file, or done(null) when this browser can't do it (the original is sent, unchecked).
  function shrink(file, done) {
    drawsPhotosUpright(function (upright) {
      if (!upright) return done(null);
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onerror = function () {
        URL.revokeObjectURL(url);
        done(null);
      };
      image.onload = function () {
        URL.revokeObjectURL(url);
        var width = image.naturalWidth;
        var height = image.naturalHeight;
        if (!width || !height) return done(null);
        var scale = Math.min(1, MAX_EDGE / Math.max(width, height));
        if (scale === 1 && /^image\/jpeg$/i.test(file.type)) return done("keep");
        try {
          var canvas = drawSmaller(image, Math.max(1, Math.round(width * scale)),
            Math.max(1, Math.round(height * scale)));
          canvas.toBlob(function (blob) {
            release(canvas);
            done(blob && blob.size > 0 && blob.size < file.size ? blob : "keep");
          }, "image/jpeg", QUALITY);
        } catch (e) {
          done(null);
        }
      };
      image.src = url;
    });
  }

  function replaceFile(input, original, blob) {
    try {
      var name = original.name.replace(/\.[^.]*$/, "") + ".jpg";
      var transfer = new DataTransfer();
      transfer.items.add(new File([blob], name, { type: "image/jpeg", lastModified: original.lastModified }));
      input.files = transfer.files;
      return input.files[0] !== original;
    } catch (e) {
      return false;
    }
  }

  function show(input, state, textAttribute) {
    if (state) input.setAttribute("data-photo-state", state);
    else input.removeAttribute("data-photo-state");
    var status = input.form.querySelector("[data-photo-status]");
    if (status) status.textContent = (textAttribute && input.getAttribute(textAttribute)) || "";
  }

  function photoChosen(input) {
    var ticket = nextTicket++;
    var file = input.files && input.files[0];
    input.backsoonPhotoTicket = ticket;
    if (!file) return show(input, null, null);
    if (!SHRINKABLE.test(file.type) || !browserCanShrink()) return show(input, "original", null);
    show(input, "working", "data-photo-working");
    shrink(file, function (result) {
      // Another photo was chosen meanwhile: that one wins.
      if (input.backsoonPhotoTicket !== ticket) return;
      if (result === null) return show(input, "original", null);
      if (result !== "keep" && !replaceFile(input, file, result)) return show(input, "original", null);
      show(input, "ready", "data-photo-ready");
    });
  }

  // Listening on the document also covers forms that htmx swaps in later.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.type === "file" && input.form && input.hasAttribute("data-resize-photo")) {
      photoChosen(input);
    }
  });
})();
