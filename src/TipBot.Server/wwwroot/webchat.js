// The built-in web chat: a resident pane and an officer pane talking to the same bot.
// Messages go to /api/webchat/messages; bot replies are polled from the same path.
"use strict";

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, b => b.toString(16).padStart(2, "0")).join("");
}

function chatPane(root, getChatId) {
  const log = root.querySelector(".log");
  const form = root.querySelector("form");
  let lastId = 0;
  let chatId = getChatId();

  function add(text, who, buttons, imageUrl) {
    const div = document.createElement("div");
    div.className = "msg " + who;
    if (imageUrl) {
      const img = document.createElement("img");
      img.src = imageUrl;
      img.alt = "";
      div.appendChild(img);
    }
    div.appendChild(document.createTextNode(text));
    if (buttons && buttons.length) {
      const row = document.createElement("div");
      row.className = "buttons";
      for (const b of buttons) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = b.label;
        button.dataset.payload = b.payload;
        button.onclick = () => send(null, b.payload, b.label);
        row.appendChild(button);
      }
      div.appendChild(row);
    }
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
  }

  async function send(text, payload, shown) {
    add(shown ?? text, "me");
    // 503: the server could not take it just now; the same message id again is never doubled.
    const body = JSON.stringify({ chatId, messageId: randomId(), text, payload });
    let response;
    for (let attempt = 1; ; attempt++) {
      response = await fetch("api/webchat/messages", { method: "POST", headers: { "Content-Type": "application/json" }, body });
      if (response.status !== 503 || attempt === 5) break;
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
    if (!response.ok) add("⚠️ " + response.status, "bot");
    poll();
  }

  async function poll() {
    if (!chatId) return;
    const polled = chatId;
    const response = await fetch(`api/webchat/messages?chatId=${encodeURIComponent(chatId)}&after=${lastId}`);
    if (!response.ok || polled !== chatId) return;
    for (const m of await response.json()) {
      // Polls overlap (the timer's and the one after a send ask for the same ids): each is shown once.
      if (m.id <= lastId) continue;
      lastId = m.id;
      add(m.text, "bot", m.buttons, m.imageUrl);
    }
  }

  form.addEventListener("submit", e => {
    e.preventDefault();
    const input = form.elements.text;
    const text = input.value.trim();
    if (text) send(text);
    input.value = "";
  });

  setInterval(poll, 1000);
  poll();
  return {
    switchTo(id) { chatId = id; lastId = 0; log.replaceChildren(); poll(); },
  };
}

const residentId = localStorage.getItem("tipbot.resident") || randomId();
localStorage.setItem("tipbot.resident", residentId);
chatPane(document.getElementById("resident"), () => residentId);

(async () => {
  const select = document.getElementById("officer-select");
  const note = document.getElementById("officer-note");
  const response = await fetch("api/webchat/officers");
  if (!response.ok) {
    note.innerHTML = 'Giao diện cán bộ cần <a href="/console/signin?ReturnUrl=%2F">đăng nhập</a> bằng tài khoản cán bộ hoặc quản trị.';
    select.disabled = true;
    return;
  }
  const officers = await response.json();
  for (const o of officers) select.add(new Option(`${o.name} (${o.unitCode})`, o.chatId));
  const saved = localStorage.getItem("tipbot.officer");
  if (saved && officers.some(o => o.chatId === saved)) select.value = saved;
  const pane = chatPane(document.getElementById("officer"), () => select.value);
  select.onchange = () => { localStorage.setItem("tipbot.officer", select.value); pane.switchTo(select.value); };
  note.textContent = "Tin báo giao cho cán bộ đang chọn sẽ hiện ở đây kèm nút «Tiếp nhận».";
})();
