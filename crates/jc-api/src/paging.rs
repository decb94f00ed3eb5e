//! Paging, once for every list route: V1 `{totalCount, results}` bodies and V2 bare arrays
//! with `x-total-count`, `limit=100`, a stable sort, and JumpCloud's stop rules (REFERENCE §6, §10).

use serde::de::DeserializeOwned;

use crate::calls::Call;
use crate::client::{decode, decode_failure};
use crate::{Client, Error, ResponseDetail};

/// JumpCloud's documented maximum page size on list routes.
pub const PAGE_LIMIT: u32 = 100;

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
    pub items: Vec<T>,
    /// The server's last claimed total (`totalCount` / `x-total-count`), if any.
    pub total: Option<u64>,
    pub pages: u32,
}

impl<T> Listing<T> {
    /// Records the server said exist but never came back (a count changing mid-way, a bad page).
    pub fn missing(&self) -> u64 {
        self.total
            .map(|t| t.saturating_sub(self.items.len() as u64))
            .unwrap_or(0)
    }

    pub fn is_complete(&self) -> bool {
        self.missing() == 0
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

    /// Pages through a list route one request at a time.
    pub fn pager<E: ListEndpoint>(&self, endpoint: E) -> Pager<'_, E> {
        Pager {
            client: self,
            endpoint,
            next_skip: 0,
            limit: PAGE_LIMIT,
            total: None,
            pages: 0,
            finished: false,
        }
    }

    /// Every record of a list route.
    pub async fn list_all<E: ListEndpoint>(&self, endpoint: E) -> Result<Listing<E::Item>, Error> {
        let mut pager = self.pager(endpoint);
        let mut items = Vec::new();
        while let Some(page) = pager.next_page().await? {
            items.extend(page.items);
        }
        Ok(Listing {
            items,
            total: pager.total,
            pages: pager.pages,
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
}

impl<E: ListEndpoint> Pager<'_, E> {
    /// The next page, or `None` once the stop rules say the list is done. The first page is
    /// always returned, even when empty, so callers learn the total.
    pub async fn next_page(&mut self) -> Result<Option<Page<E::Item>>, Error> {
        if self.finished {
            return Ok(None);
        }
        let mut page = self
            .client
            .page(&self.endpoint, self.next_skip, self.limit)
            .await?;
        self.pages += 1;
        page.number = self.pages;
        if page.total.is_some() {
            self.total = page.total;
        }
        let got = page.items.len() as u64;
        self.next_skip += got;
        // Stop on an empty or short page, or once the claimed total is reached: whichever first.
        self.finished = got == 0
            || got < u64::from(self.limit)
            || self.total.is_some_and(|t| self.next_skip >= t);
        Ok(Some(page))
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
