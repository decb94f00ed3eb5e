//! A misbehaving HTTP/1.1 server on loopback, for tests that play a broken or hostile JumpCloud,
//! proxy or image host: each request is answered from a script (redirects, oversized or endless
//! bodies, odd headers, repeated pages, escape sequences), or passed on unchanged to an
//! upstream server such as the simulator. It records every request (target and headers) and
//! counts the body bytes it managed to write before the client hung up.
//!
//! Every loop is bounded: a request head is at most 64 KB and must arrive within 5 s, a body
//! is at most what the script asked for, and a connection is closed after 60 s whatever
//! happens. One request per connection (`Connection: close`). Dropping the server stops it.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

const MAX_HEAD_BYTES: usize = 64 * 1024;
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
const CONNECTION_LIMIT: Duration = Duration::from_secs(60);
const CHUNK: usize = 64 * 1024;

/// One request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: String,
    /// As sent: origin form (`/api/x?y=1`), absolute form from a proxy client
    /// (`http://host/api/x`), or authority form for `CONNECT` (`host:443`).
    pub target: String,
    pub headers: Vec<(String, String)>,
}

impl HttpRequest {
    /// The path, without the query, also for absolute-form targets.
    pub fn path(&self) -> &str {
        let target = match self.target.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => self.target.as_str(),
        };
        target.split('?').next().unwrap_or_default()
    }

    /// One query parameter's value, as sent.
    pub fn query(&self, name: &str) -> Option<&str> {
        let (_, query) = self.target.split_once('?')?;
        query
            .split('&')
            .find_map(|pair| match pair.split_once('=') {
                Some((k, v)) if k == name => Some(v),
                _ => None,
            })
    }

    /// A header's value (the name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the script does with a request.
#[derive(Debug, Clone)]
pub enum Answer {
    /// Pass it on, unchanged, to this address (e.g. the simulator's), and its answer back.
    Forward(SocketAddr),
    Reply(Reply),
    /// Close the connection without a word.
    Hangup,
}

#[derive(Debug, Clone)]
enum Body {
    Bytes(Vec<u8>),
    /// `len` bytes of filler (`[` then spaces), streamed; `declared` sends a Content-Length.
    Filler {
        len: u64,
        declared: bool,
    },
}

/// An answer the script makes up.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Body,
}

impl Reply {
    /// A status with an empty body.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
        }
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply::bytes(status, "application/json", value.to_string().into_bytes())
    }

    pub fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: Body::Bytes(body.into()),
        }
    }

    /// `len` bytes streamed as fast as the client reads them, with or without a
    /// `Content-Length` saying so.
    pub fn filler(status: u16, content_type: &str, len: u64, declared: bool) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: Body::Filler { len, declared },
        }
    }

    /// One more header, sent exactly as given.
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

type Script = dyn Fn(&HttpRequest) -> Answer + Send + Sync;

struct State {
    script: Box<Script>,
    requests: Mutex<Vec<HttpRequest>>,
    body_bytes: AtomicU64,
}

/// A running hostile server; stops when dropped.
pub struct Hostile {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl Hostile {
    /// Listens on 127.0.0.1 (any free port) and answers every request with `script`.
    pub async fn start(
        script: impl Fn(&HttpRequest) -> Answer + Send + Sync + 'static,
    ) -> std::io::Result<Hostile> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State {
            script: Box::new(script),
            requests: Mutex::new(Vec::new()),
            body_bytes: AtomicU64::new(0),
        });
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&shared);
                connections.spawn(async move {
                    let _ = tokio::time::timeout(CONNECTION_LIMIT, serve(stream, &state)).await;
                });
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(Hostile { addr, state, task })
    }

    /// `http://127.0.0.1:PORT`, a host root.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.state
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Body bytes of scripted replies written to clients so far (forwarded answers not counted).
    pub fn body_bytes_written(&self) -> u64 {
        self.state.body_bytes.load(Ordering::Relaxed)
    }
}

impl Drop for Hostile {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(mut client: TcpStream, state: &State) -> std::io::Result<()> {
    let Some((request, head)) = tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut client))
        .await
        .ok()
        .flatten()
    else {
        return Ok(());
    };
    state
        .requests
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request.clone());
    match (state.script)(&request) {
        Answer::Hangup => Ok(()),
        Answer::Forward(upstream) => forward(client, &head, upstream).await,
        Answer::Reply(reply) => write_reply(&mut client, reply, &state.body_bytes).await,
    }
}

/// Reads up to the blank line ending the head; `None` for anything malformed or too long.
async fn read_head(client: &mut TcpStream) -> Option<(HttpRequest, String)> {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD_BYTES {
            return None;
        }
        let n = client.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let end = text.find("\r\n\r\n")?;
    let mut lines = text[..end].split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let request = HttpRequest {
        method,
        target,
        headers,
    };
    Some((request, text[..end].to_owned()))
}

/// The request head again with `Connection: close`, to `upstream`; its answer streamed back.
async fn forward(mut client: TcpStream, head: &str, upstream: SocketAddr) -> std::io::Result<()> {
    let mut server = TcpStream::connect(upstream).await?;
    let mut lines: Vec<&str> = head
        .split("\r\n")
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    server
        .write_all(format!("{}\r\n\r\n", lines.join("\r\n")).as_bytes())
        .await?;
    tokio::io::copy(&mut server, &mut client).await?;
    client.shutdown().await
}

async fn write_reply(
    client: &mut TcpStream,
    reply: Reply,
    written: &AtomicU64,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    match &reply.body {
        Body::Bytes(bytes) => head.push_str(&format!("Content-Length: {}\r\n", bytes.len())),
        Body::Filler {
            len,
            declared: true,
        } => head.push_str(&format!("Content-Length: {len}\r\n")),
        Body::Filler { .. } => {}
    }
    head.push_str("Connection: close\r\n\r\n");
    client.write_all(head.as_bytes()).await?;
    match reply.body {
        Body::Bytes(bytes) => {
            client.write_all(&bytes).await?;
            written.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        }
        Body::Filler { len, .. } => {
            let mut chunk = vec![b' '; CHUNK];
            chunk[0] = b'[';
            let mut left = len;
            while left > 0 {
                let n = usize::try_from(left).unwrap_or(CHUNK).min(CHUNK);
                client.write_all(&chunk[..n]).await?;
                chunk[0] = b' ';
                written.fetch_add(n as u64, Ordering::Relaxed);
                left -= n as u64;
            }
        }
    }
    client.shutdown().await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        407 => "Proxy Authentication Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_of_every_form() {
        let at = |target: &str| HttpRequest {
            method: "GET".into(),
            target: target.into(),
            headers: vec![("X-Api-Key".into(), "k".into())],
        };
        assert_eq!(at("/api/x?skip=100&limit=1").path(), "/api/x");
        assert_eq!(at("/api/x?skip=100&limit=1").query("skip"), Some("100"));
        assert_eq!(at("http://h:1/api/y?z=1").path(), "/api/y");
        assert_eq!(at("http://h:1").path(), "/");
        assert_eq!(at("h:443").path(), "h:443");
        assert_eq!(at("/").header("x-api-key"), Some("k"));
    }
}
