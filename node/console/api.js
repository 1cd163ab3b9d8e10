// The console API (/jejak/v1/console/): JSON in and out, the session's CSRF
// token on every request that is not a GET, and a 401 sends the user back
// to Masuk (through the handler the app sets).

const BASE = '/jejak/v1/console/';

let session = null;  // {name, role, csrf, expires} while signed in
let onUnauthorized = () => {};

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.error ?? `HTTP ${status}`);
    this.status = status;
    this.body = body ?? {};
    this.retryAfter = Number(body?.retry_after ?? retryAfter ?? 0) || 0;
  }
  // The server's message in the console's language.
  text(lang) {
    return (lang === 'id' ? this.body.error_id : null) ?? this.body.error ?? this.message;
  }
}

export function currentSession() {
  return session;
}

export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && session?.csrf) headers['X-Jejak-Csrf'] = session.csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(BASE + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  let data = null;
  if (response.status !== 204) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = new ApiError(response.status, data, response.headers.get('Retry-After'));
    if (response.status === 401 && path !== 'login' && path !== 'session') {
      session = null;
      onUnauthorized();
    }
    throw err;
  }
  return data;
}

// The session the cookie holds, if any (null when signed out).
export async function loadSession() {
  try {
    session = await api('session');
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) throw err;
    session = null;
  }
  return session;
}

export async function login(name, password) {
  session = await api('login', { method: 'POST', body: { name, password } });
  return session;
}

export async function logout() {
  try {
    await api('logout', { method: 'POST' });
  } finally {
    session = null;
  }
}
