// PAM's web page: sign in through the (emulated) Cognito hosted UI with the implicit grant,
// upload photos through presigned PUT URLs, show the tags with counts, request a bundle.
// Label names and messages are untrusted text: they are only ever set with textContent.
"use strict";

const state = { config: null, token: sessionStorage.getItem("pam.id_token") };
const $ = (id) => document.getElementById(id);

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = !message;
}

// A request with the id token; the answer's text (401 signs out).
async function authorizedText(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: Object.assign({ Authorization: "Bearer " + state.token },
                           body === undefined ? {} : { "Content-Type": "application/json" }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) { signOutLocally(); throw new Error("Your session has ended: sign in again."); }
  return { response, text: await response.text() };
}

async function api(method, path, body) {
  const { response, text } = await authorizedText(method, path, body);
  const data = text ? JSON.parse(text) : {};
  if (!response.ok) throw new Error(data.message || ("HTTP " + response.status));
  return data;
}

// The page's own URL, exactly as the app client's callback and sign-out URLs list it.
function pageURL() {
  return location.origin + "/";
}

// The sign-in's `state`: random, kept until the redirect brings it back, so the page takes only a
// token it asked for (not one a link from elsewhere planted in its fragment). Every state this
// browser sent and has not seen back is kept, in localStorage for ten minutes, so a sign-in
// opened in another tab (ctrl+click) is taken there too; each is taken once.
const signInStatesKey = "pam.signin_states";
const signInStateLifetime = 10 * 60 * 1000;

function outstandingStates() {
  let states = {};
  try {
    states = JSON.parse(localStorage.getItem(signInStatesKey) || "{}") || {};
  } catch (error) {
    states = {};
  }
  const now = Date.now();
  for (const key of Object.keys(states)) {
    if (!(states[key] > now)) delete states[key];
  }
  return states;
}

function signInState() {
  const states = outstandingStates();
  let value = sessionStorage.getItem("pam.signin_state");
  if (!value || !Object.prototype.hasOwnProperty.call(states, value)) {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    value = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
    sessionStorage.setItem("pam.signin_state", value);
  }
  states[value] = Date.now() + signInStateLifetime;
  localStorage.setItem(signInStatesKey, JSON.stringify(states));
  return value;
}

function signInURL() {
  const params = new URLSearchParams({
    response_type: "token", client_id: state.config.clientId,
    redirect_uri: pageURL(), scope: "openid email phone", state: signInState(),
  });
  return state.config.authorizeURL + "?" + params.toString();
}

function signOutLocally() {
  sessionStorage.removeItem("pam.id_token");
  state.token = null;
  render();
}

function takeTokenFromFragment() {
  if (!location.hash.includes("id_token=")) return;
  const fragment = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, "", location.pathname);
  const states = outstandingStates();
  const returned = fragment.get("state");
  const asked = returned !== null && Object.prototype.hasOwnProperty.call(states, returned);
  if (asked) delete states[returned];
  localStorage.setItem(signInStatesKey, JSON.stringify(states));
  sessionStorage.removeItem("pam.signin_state");
  if (!asked) {
    showError("A sign-in answer this page did not ask for was ignored. Sign in again.");
    return;
  }
  state.token = fragment.get("id_token");
  sessionStorage.setItem("pam.id_token", state.token);
}

function render() {
  $("signed-in").hidden = !state.token;
  $("signed-out").hidden = !!state.token;
  $("signin-link").href = signInURL();
  const session = $("session");
  session.replaceChildren();
  if (state.token) {
    const out = document.createElement("a");
    out.href = state.config.logoutURL + "?" + new URLSearchParams({ client_id: state.config.clientId, logout_uri: pageURL() });
    out.id = "signout";
    out.textContent = "Sign out";
    out.addEventListener("click", () => sessionStorage.removeItem("pam.id_token"));
    session.append(out);
    refreshLabels().catch((error) => showError(error.message));
  }
}

async function refreshLabels() {
  const data = await api("GET", "/api/labels");
  const list = $("labels");
  const checked = new Set([...list.querySelectorAll("input:checked")].map((box) => box.dataset.label));
  list.replaceChildren();
  const entries = Object.entries(data.labels || {});
  $("no-labels").hidden = entries.length > 0;
  for (const [name, info] of entries) {
    const item = document.createElement("li");
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.dataset.label = name;
    box.checked = checked.has(name);
    label.append(box, document.createTextNode(" " + name + " (" + info.count + ")"));
    item.append(label);
    list.append(item);
  }
}

async function waitForAnalysis() {
  $("spinner").hidden = false;
  try {
    for (;;) {
      const status = await api("GET", "/api/status");
      await refreshLabels();
      if (status.pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  } finally {
    $("spinner").hidden = true;
  }
}

async function upload() {
  showError("");
  const files = [...$("files").files];
  if (files.length === 0) { showError("Choose one or more JPEG photos first."); return; }
  $("upload").disabled = true;
  let done = 0;
  const failed = [];
  try {
    for (const file of files) {
      $("upload-status").textContent = "Uploading " + (done + 1) + " of " + files.length + "…";
      try {
        const { url } = await api("PUT", "/api/upload", { file_name: file.name });
        const response = await fetch(url, { method: "PUT", headers: { "Content-Type": "image/jpeg" }, body: file });
        if (!response.ok) throw new Error("HTTP " + response.status);
        done += 1;
      } catch (error) {
        failed.push(file.name + ": " + error.message);
      }
    }
    $("upload-status").textContent = "Uploaded " + done + " of " + files.length + " photos.";
    if (failed.length) showError("Not uploaded — " + failed.join("; "));
    await waitForAnalysis();
  } finally {
    $("upload").disabled = false;
  }
}

async function download() {
  showError("");
  $("confirmation").hidden = true;
  $("outbox").hidden = true;
  $("outbox-message").textContent = "";
  const labels = [...$("labels").querySelectorAll("input:checked")].map((box) => box.dataset.label);
  if (labels.length === 0) { showError("Tick at least one tag."); return; }
  const recipient = $("recipient").value.trim();
  const body = { labels };
  if (recipient.startsWith("+")) body.phone = recipient; else if (recipient) body.email = recipient;
  $("download").disabled = true;
  try {
    const before = new Set(((await api("GET", "/api/outbox")).messages || []).map((message) => message.id));
    await api("POST", "/api/download", body);
    $("confirmation").textContent = "Your bundle is being prepared: the link will arrive " + (body.phone ? "by SMS" : "by e-mail") + ".";
    $("confirmation").hidden = false;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const fresh = ((await api("GET", "/api/outbox")).messages || []).find((message) => !before.has(message.id));
      if (fresh) {
        // The outbox needs the token too, so the message is fetched and shown here (as text).
        const { response, text } = await authorizedText("GET", fresh.url);
        if (!response.ok) throw new Error("The delivered message could not be read: HTTP " + response.status);
        $("outbox-message").textContent = text;
        $("outbox").hidden = false;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  } catch (error) {
    showError(error.message);
  } finally {
    $("download").disabled = false;
  }
}

async function start() {
  state.config = await (await fetch("/config.json")).json();
  takeTokenFromFragment();
  $("upload").addEventListener("click", () => upload().catch((error) => showError(error.message)));
  $("download").addEventListener("click", () => download());
  render();
}

start().catch((error) => showError("The page could not start: " + error.message));
