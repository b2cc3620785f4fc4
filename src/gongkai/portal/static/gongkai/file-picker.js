// A Chinese file picker: the browser's own button says "Choose Files" in an English browser.
// Each <input type="file"> is kept (visually hidden, still focusable and labelled) and gets a
// 「选择文件」 button and the names of the chosen files beside it.
(function () {
  "use strict";
  function enhance(input) {
    if (input.dataset.gkPicker) return;
    input.dataset.gkPicker = "1";
    var wrap = document.createElement("span");
    wrap.className = "gk-file-picker";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "gk-file-button";
    button.textContent = input.multiple ? "选择文件（可多选）" : "选择文件";
    button.setAttribute("aria-hidden", "true");
    button.tabIndex = -1;
    var names = document.createElement("span");
    names.className = "gk-file-names";
    names.setAttribute("aria-live", "polite");
    names.textContent = "未选择文件";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(button);
    wrap.appendChild(names);
    input.classList.add("gk-file-input");
    button.addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      var list = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      names.textContent = list.length ? "已选择：" + list.join("、") : "未选择文件";
    });
  }
  function run() {
    Array.prototype.forEach.call(document.querySelectorAll('input[type="file"]'), enhance);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
