//! Paging, once for every list route: V1 `{totalCount, results}` bodies and V2 bare arrays
//! with `x-total-count`, `limit=100`, a stable sort, and JumpCloud's stop rules.
//!
//! A server's total is data, not a plan: paging follows the pages that arrive, stops on an
//! empty or short page, on a page that repeats records already seen, and at
//! [`MAX_RECORDS_PER_LIST`] records, and keeps each record (by id) once ([`ListGuard`]).

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

use serde::de::DeserializeOwned;

use crate::calls::Call;
use crate::client::{decode, decode_failure};
use crate::{Client, Error, ResponseDetail};

/// JumpCloud's documented maximum page size on list routes.
pub const PAGE_LIMIT: u32 = 100;

/// The most records read from one list route. A server claiming or sending more is stopped
/// here and the list reported as incomplete.
pub const MAX_RECORDS_PER_LIST: u64 = 1_000_000;

/// The id a record is known by, to tell a repeated record from a new one.
pub trait RecordId {
    fn record_id(&self) -> Option<&str>;
}

impl RecordId for serde_json::Value {
    fn record_id(&self) -> Option<&str> {
        self.get("id")
            .or_else(|| self.get("_id"))
            .and_then(|v| v.as_str())
    }
}

/// Why a list stopped before the server said it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListStop {
    /// A page held only records already received: the server was repeating itself.
    RepeatedPage { skip: u64 },
    /// [`MAX_RECORDS_PER_LIST`] (or a smaller cap) was reached.
    RecordCap { max: u64 },
}

impl ListStop {
    /// Plain words for a report.
    pub fn describe(&self) -> String {
        match self {
            ListStop::RepeatedPage { skip } => format!(
                "the page starting at record {skip} repeated records already received, so reading stopped there"
            ),
            ListStop::RecordCap { max } => format!(
                "reading stopped at {} records, the most collected from one list",
                thousands(*max)
            ),
        }
    }
}

/// `1000000` as `1,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Keeps one list honest as its pages arrive, in any order: each record (by id) is kept once,
/// a page of nothing new stops the list, and so does the record cap.
#[derive(Debug)]
pub struct ListGuard {
    seen: HashSet<u128>,
    hasher: RandomState,
    kept: u64,
    duplicates: u64,
    max: u64,
    stop: Option<ListStop>,
}

impl Default for ListGuard {
    fn default() -> Self {
        ListGuard::new(MAX_RECORDS_PER_LIST)
    }
}

impl ListGuard {
    pub fn new(max_records: u64) -> ListGuard {
        ListGuard {
            seen: HashSet::new(),
            hasher: RandomState::new(),
            kept: 0,
            duplicates: 0,
            max: max_records,
            stop: None,
        }
    }

    /// The records of one page (the one at `skip`) not seen before, up to the cap.
    pub fn admit<T: RecordId>(&mut self, skip: u64, items: Vec<T>) -> Vec<T> {
        let offered = items.len();
        let mut fresh = Vec::with_capacity(offered);
        let mut repeated = 0usize;
        for item in items {
            if self.kept >= self.max {
                self.stop
                    .get_or_insert(ListStop::RecordCap { max: self.max });
                break;
            }
            if let Some(id) = item.record_id().filter(|id| !id.is_empty()) {
                if !self.seen.insert(self.fingerprint(id)) {
                    repeated += 1;
                    continue;
                }
            }
            self.kept += 1;
            fresh.push(item);
        }
        self.duplicates = self.duplicates.saturating_add(repeated as u64);
        if offered > 0 && repeated == offered {
            self.stop.get_or_insert(ListStop::RepeatedPage { skip });
        }
        fresh
    }

    /// JumpCloud ids are 24 hex digits and map exactly; any other id is hashed (a clash among
    /// a million ids has a chance of about one in ten million).
    fn fingerprint(&self, id: &str) -> u128 {
        if id.len() == 24 {
            if let Ok(n) = u128::from_str_radix(id, 16) {
                return n;
            }
        }
        (1u128 << 127) | u128::from(self.hasher.hash_one(id))
    }

    /// Marks the list as stopped by the cap (the server had more than the cap allows).
    pub fn reached_cap(&mut self) {
        self.stop
            .get_or_insert(ListStop::RecordCap { max: self.max });
    }

    pub fn max_records(&self) -> u64 {
        self.max
    }

    pub fn kept(&self) -> u64 {
        self.kept
    }

    /// Records received again after their first copy (not kept).
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }

    pub fn stop(&self) -> Option<&ListStop> {
        self.stop.as_ref()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `/api/...`: `{"totalCount": N, "results": [...]}`, sorted with `sort=_id`.
    V1,
    /// `/api/v2/...`: a bare array and an `x-total-count` header, sorted with `sort=id`.
    V2,
}

/// A list route. Paging, sorting and counting are the client's job, not the endpoint's.
pub trait ListEndpoint {
    type Item: DeserializeOwned;
    /// The table entry this route is: its path, paging style and whether it takes `sort`.
    const CALL: &'static Call;
    /// The ids that fill the path's placeholders, in order.
    fn ids(&self) -> Vec<&str> {
        Vec::new()
    }
    /// Extra query parameters: `fields`, `targets`.
    fn query(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// One page, with the total the server claimed when it sent one.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub skip: u64,
    pub total: Option<u64>,
    /// 1-based page number within a pager.
    pub number: u32,
    pub detail: ResponseDetail,
}

/// Everything a list route returned, and whether it adds up.
#[derive(Debug, Clone)]
pub struct Listing<T> {
    /// Each record once.
    pub items: Vec<T>,
    /// The server's last claimed total (`totalCount` / `x-total-count`), if any.
    pub total: Option<u64>,
    pub pages: u32,
    /// Records received more than once (only the first copy is in `items`).
    pub duplicates: u64,
    /// Why paging stopped before the list ended, if it did.
    pub stopped: Option<ListStop>,
}

impl<T> Listing<T> {
    /// Records the server said exist but never came back (a count changing mid-way, a bad page).
    pub fn missing(&self) -> u64 {
        self.total
            .map(|t| t.saturating_sub(self.items.len() as u64))
            .unwrap_or(0)
    }

    pub fn is_complete(&self) -> bool {
        self.missing() == 0 && self.duplicates == 0 && self.stopped.is_none()
    }
}

impl Client {
    /// One page of a list route: at most [`PAGE_LIMIT`] records, sorted by id wherever the
    /// route takes `sort` (otherwise pages can skip or repeat records while data changes).
    pub async fn page<E: ListEndpoint>(
        &self,
        endpoint: &E,
        skip: u64,
        limit: u32,
    ) -> Result<Page<E::Item>, Error> {
        let call = E::CALL;
        let path = call.path_for(&endpoint.ids())?;
        let limit = limit.min(PAGE_LIMIT);
        let mut query = vec![("limit", limit.to_string()), ("skip", skip.to_string())];
        if let Some(sort) = call.sort() {
            query.push(("sort", sort.to_owned()));
        }
        query.extend(endpoint.query());
        debug_assert!(
            query.iter().all(|(name, _)| call.sends(name)),
            "{} sends only the parameters its table entry lists",
            call.path
        );
        let response = self.get(call, &path, &query).await?;
        let header_total = response.total_count_header.as_deref().and_then(|v| {
            let parsed = v.trim().parse::<u64>().ok();
            if parsed.is_none() {
                tracing::warn!(value = v, route = %response.detail.route, "unreadable x-total-count; paging until a short page");
            }
            parsed
        });
        let (items, body_total) = decode_list(&response.body, &response.detail)?;
        Ok(Page {
            items,
            skip,
            total: header_total.or(body_total),
            number: 0,
            detail: response.detail,
        })
    }

    /// Pages through a list route one request at a time, up to [`MAX_RECORDS_PER_LIST`].
    pub fn pager<E: ListEndpoint>(&self, endpoint: E) -> Pager<'_, E> {
        Pager {
            client: self,
            endpoint,
            next_skip: 0,
            limit: PAGE_LIMIT,
            total: None,
            pages: 0,
            finished: false,
            guard: ListGuard::default(),
        }
    }

    /// Every record of a list route, each once, up to [`MAX_RECORDS_PER_LIST`].
    pub async fn list_all<E>(&self, endpoint: E) -> Result<Listing<E::Item>, Error>
    where
        E: ListEndpoint,
        E::Item: RecordId,
    {
        self.list_up_to(endpoint, MAX_RECORDS_PER_LIST).await
    }

    /// Every record of a list route, each once, up to `max_records`.
    pub async fn list_up_to<E>(
        &self,
        endpoint: E,
        max_records: u64,
    ) -> Result<Listing<E::Item>, Error>
    where
        E: ListEndpoint,
        E::Item: RecordId,
    {
        let mut pager = self.pager(endpoint).max_records(max_records);
        let mut items = Vec::new();
        while let Some(page) = pager.next_page().await? {
            items.extend(page.items);
        }
        Ok(Listing {
            items,
            total: pager.total,
            pages: pager.pages,
            duplicates: pager.guard.duplicates(),
            stopped: pager.guard.stop().cloned(),
        })
    }
}

pub struct Pager<'c, E: ListEndpoint> {
    client: &'c Client,
    endpoint: E,
    next_skip: u64,
    limit: u32,
    total: Option<u64>,
    pages: u32,
    finished: bool,
    guard: ListGuard,
}

impl<E: ListEndpoint> Pager<'_, E>
where
    E::Item: RecordId,
{
    /// Stops after this many records (at most [`MAX_RECORDS_PER_LIST`]).
    pub fn max_records(mut self, max: u64) -> Self {
        self.guard = ListGuard::new(max.min(MAX_RECORDS_PER_LIST));
        self
    }

    /// The next page (records already seen removed), or `None` once the stop rules say the
    /// list is done. The first page is always returned, even when empty, so callers learn the
    /// total.
    pub async fn next_page(&mut self) -> Result<Option<Page<E::Item>>, Error> {
        if self.finished {
            return Ok(None);
        }
        let mut page = self
            .client
            .page(&self.endpoint, self.next_skip, self.limit)
            .await?;
        self.pages = self.pages.saturating_add(1);
        page.number = self.pages;
        if page.total.is_some() {
            self.total = page.total;
        }
        let got = page.items.len() as u64;
        self.next_skip = self.next_skip.saturating_add(got);
        page.items = self.guard.admit(page.skip, std::mem::take(&mut page.items));
        let full = got >= u64::from(self.limit);
        let more_claimed = self.total.is_none_or(|t| t > self.next_skip);
        if full && more_claimed && self.next_skip >= self.guard.max_records() {
            self.guard.reached_cap();
        }
        // Stop on an empty or short page, once the claimed total is reached, on a page of
        // nothing new, or at the record cap: whichever first.
        self.finished =
            !full || self.total.is_some_and(|t| self.next_skip >= t) || self.guard.stop().is_some();
        Ok(Some(page))
    }

    /// Records received more than once so far.
    pub fn duplicates(&self) -> u64 {
        self.guard.duplicates()
    }

    /// Why paging stopped early, if it did.
    pub fn stopped(&self) -> Option<&ListStop> {
        self.guard.stop()
    }

    pub fn total(&self) -> Option<u64> {
        self.total
    }

    pub fn pages(&self) -> u32 {
        self.pages
    }

    /// Where the next page starts: what a caller reports when a page fails.
    pub fn next_skip(&self) -> u64 {
        self.next_skip
    }
}

#[derive(serde::Deserialize)]
struct Wrapped<T> {
    #[serde(rename = "totalCount", default)]
    total_count: Option<u64>,
    #[serde(default = "Vec::new")]
    results: Vec<T>,
}

/// A bare array or a `{totalCount, results}` wrapper: some V2 routes wrap, some V1 routes don't.
fn decode_list<T: DeserializeOwned>(
    body: &[u8],
    detail: &ResponseDetail,
) -> Result<(Vec<T>, Option<u64>), Error> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => Ok((decode::<Vec<T>>(body, detail)?, None)),
        Some(b'{') => {
            let wrapped: Wrapped<T> = decode(body, detail)?;
            Ok((wrapped.results, wrapped.total_count))
        }
        _ => Err(decode_failure(
            "the response was not a JSON list".into(),
            body.is_empty(),
            body,
            detail,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rec(&'static str);

    impl RecordId for Rec {
        fn record_id(&self) -> Option<&str> {
            Some(self.0).filter(|id| !id.is_empty())
        }
    }

    #[test]
    fn the_guard_keeps_each_record_once_and_stops_on_repeats_and_the_cap() {
        let mut guard = ListGuard::new(4);
        let kept = guard.admit(0, vec![Rec("5d2f7024f0e1526be4df38e7"), Rec("a"), Rec("a")]);
        assert_eq!(
            kept.len(),
            2,
            "a record repeated within a page is kept once"
        );
        assert_eq!(guard.duplicates(), 1);
        assert_eq!(guard.stop(), None, "a page with something new goes on");
        let kept = guard.admit(100, vec![Rec("a"), Rec("5D2F7024F0E1526BE4DF38E7")]);
        assert!(kept.is_empty());
        assert_eq!(
            guard.stop(),
            Some(&ListStop::RepeatedPage { skip: 100 }),
            "a page of nothing new stops the list"
        );
        let mut capped = ListGuard::new(2);
        let kept = capped.admit(0, vec![Rec("x"), Rec(""), Rec(""), Rec("y")]);
        assert_eq!(
            kept.len(),
            2,
            "records without an id count, and the cap holds"
        );
        assert_eq!(capped.stop(), Some(&ListStop::RecordCap { max: 2 }));
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn both_list_shapes_decode() {
        let d = ResponseDetail::default();
        let (items, total) = decode_list::<u32>(b" [1,2]", &d).expect("bare array");
        assert_eq!((items, total), (vec![1, 2], None));
        let (items, total) =
            decode_list::<u32>(br#"{"totalCount":7,"results":[3]}"#, &d).expect("wrapper");
        assert_eq!((items, total), (vec![3], Some(7)));
        let err =
            decode_list::<u32>(br#"{"totalCount":7,"results":[3"#, &d).expect_err("cut short");
        assert!(
            matches!(
                err,
                Error::Decode {
                    truncated: true,
                    ..
                }
            ),
            "a cut body is reported as truncated: {err:?}"
        );
        let err = decode_list::<u32>(b"", &d).expect_err("empty body is not a list");
        assert!(matches!(err, Error::Decode { .. }));
    }
}
