"""Ordering archive imagery: price it with a dry run, then place exactly that order, once.

    quote = quote_order(client, ArchiveOrderRequest.for_items(project_id, items))
    ... show quote.order.final_amount, feasibility, area; the user confirms ...
    placed = place_order(client, quote)

`POST /v0/orders` is not idempotent: each one that reaches Pixxel may create (and charge) an
order. So no order request is ever repeated automatically, dry run included (a server that
ignored `dry_run` would otherwise be sent a real order twice): both go through
PixxelClient.post_once, one attempt, whatever fails. What a failure means for a real order:

- refused before or by the API (no key, an untrusted certificate, 4xx: invalid, not feasible,
  403 no ordering rights, 429): nothing was ordered; the message says so.
- anything after the request may have left (a dropped or timed-out connection, a cancel while
  waiting, a 5xx, a 2xx whose body cannot be read): Pixxel may or may not have placed it, and
  only the orders list can tell. OrderOutcomeUnknownError says to look there before ordering
  again; the plugin never sends it a second time.

`place_order` takes the Quote of a dry run, not a request: what is placed is exactly what was
priced, and there is no way to place an order that was never priced.

Archive order items (`clerk.docOriginalOrderItem`) need `project_id`, `usecase`, `geometry` (a
FeatureCollection of the area to order) and `item_ids`. `bandset` and `delivery_speed` are
documented for tasking; they are sent only when chosen, and the priced answer's
`number_of_bands` shows what the order really covers. One order item per archive item, so the
price of each capture shows on its own line.
"""

from dataclasses import dataclass
from typing import Any, Dict, Iterable, Optional, Tuple
from urllib.parse import urlsplit

from .api import PixxelClient
from .archive_models import ArchiveItem, Order
from .errors import (
    BadRequestError,
    CancelledError,
    KeyRejectedError,
    NetworkError,
    PixxelError,
    RateLimitedError,
    ServerError,
    UnexpectedResponseError,
    UntrustedCertificateError,
)
from .redaction import server_text

ORDERS_PATH = "/v0/orders"
DEFAULT_USECASE = "agriculture"  # the spec's example; Pixxel publishes no list of use cases
DELIVERY_SPEEDS = ("STANDARD",)  # clerk.OrderItemDeliverySpeed, without NOT_APPLICABLE
NAME_LIMIT = 100  # characters, the spec's maxLength of an order item's name


class OrderingNotAllowedError(PixxelError):
    """403 on POST /v0/orders: the key may read but its service account may not order."""


class OrderOutcomeUnknownError(PixxelError):
    """The order request may have reached Pixxel, but no answer says what became of it."""


@dataclass(frozen=True)
class OrderLineRequest:
    item_ids: Tuple[str, ...]
    geometry: Dict[str, Any]  # GeoJSON Polygon or MultiPolygon, EPSG:4326
    name: str = ""


@dataclass(frozen=True)
class ArchiveOrderRequest:
    project_id: str
    lines: Tuple[OrderLineRequest, ...]
    usecase: str = DEFAULT_USECASE
    bandset_id: Optional[str] = None
    delivery_speed: Optional[str] = None

    def __post_init__(self) -> None:
        if not self.project_id:
            raise ValueError("An order needs a project.")
        if not self.lines or not all(line.item_ids for line in self.lines):
            raise ValueError("An order needs at least one archive item.")
        if not self.usecase.strip():
            raise ValueError("An order needs a use case.")
        if self.delivery_speed is not None and self.delivery_speed not in DELIVERY_SPEEDS:
            raise ValueError(f"Unknown delivery speed {self.delivery_speed!r}.")
        for line in self.lines:
            if not isinstance(line.geometry, dict) or \
                    line.geometry.get("type") not in ("Polygon", "MultiPolygon"):
                raise ValueError("The area to order must be a polygon.")

    @classmethod
    def for_items(
        cls,
        project_id: str,
        items: Iterable[ArchiveItem],
        *,
        area: Optional[Dict[str, Any]] = None,
        usecase: str = DEFAULT_USECASE,
        bandset_id: Optional[str] = None,
        delivery_speed: Optional[str] = None,
    ) -> "ArchiveOrderRequest":
        """One order item per archive item, over `area` (a GeoJSON polygon) or, without one, the
        item's own footprint."""
        lines = []
        for item in items:
            geometry = area or item.geometry
            if geometry is None:
                raise ValueError(f"The archive item {item.id} has no footprint: give an area.")
            lines.append(OrderLineRequest((item.id,), geometry, item.id[:NAME_LIMIT]))
        return cls(project_id, tuple(lines), usecase.strip(), bandset_id or None, delivery_speed)

    @property
    def item_ids(self) -> Tuple[str, ...]:
        return tuple(i for line in self.lines for i in line.item_ids)

    def body(self, *, dry_run: bool) -> Dict[str, Any]:
        return {"dry_run": dry_run, "order_items": [self._item(line) for line in self.lines]}

    def _item(self, line: OrderLineRequest) -> Dict[str, Any]:
        item: Dict[str, Any] = {
            "project_id": self.project_id,
            "usecase": self.usecase,
            "geometry": {"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {}, "geometry": line.geometry}]},
            "item_ids": list(line.item_ids),
        }
        if line.name:
            item["name"] = line.name[:NAME_LIMIT]
        if self.bandset_id:
            item["bandset"] = {"bandset_id": self.bandset_id}
        if self.delivery_speed:
            item["delivery_speed"] = self.delivery_speed
        return item


@dataclass(frozen=True)
class Quote:
    """A dry run's priced order and the request it priced."""

    request: ArchiveOrderRequest
    order: Order


def quote_order(client: PixxelClient, request: ArchiveOrderRequest) -> Quote:
    """Price `request` with a dry run (nothing is ordered). Sent once, like every order request;
    a failure can simply be tried again by the user, since a dry run stores nothing."""
    try:
        answer = client.post_once(ORDERS_PATH, request.body(dry_run=True))
    except KeyRejectedError as error:
        if error.status in (401, 403):
            raise _not_allowed(error) from None
        raise
    except BadRequestError as error:
        raise _refused(error, "") from None
    return Quote(request, _order(client, answer))


def place_order(client: PixxelClient, quote: Quote) -> Order:
    """Place the order `quote` priced. Sent exactly once: see the module docstring for what each
    failure means; OrderOutcomeUnknownError whenever Pixxel may have placed it regardless."""
    if client.is_cancelled():  # nothing has been sent yet: an ordinary cancel
        raise CancelledError("Cancelled.")
    try:
        answer = client.post_once(ORDERS_PATH, quote.request.body(dry_run=False))
    except UntrustedCertificateError:
        raise  # the TLS handshake failed: nothing was sent
    except KeyRejectedError as error:
        if error.status in (401, 403):
            raise _not_allowed(error) from None
        raise  # no key set: nothing was sent
    except (BadRequestError, RateLimitedError) as error:
        raise _refused(error, " Nothing was ordered.") from None
    except UnexpectedResponseError as error:
        if error.status is not None and 400 <= error.status < 500:
            raise  # refused by whoever answered (a proxy page): the order did not get through
        raise _unknown(client, error.message) from None
    except (NetworkError, CancelledError, ServerError) as error:
        raise _unknown(client, error.message) from None
    try:
        return Order.from_json(answer)
    except (ValueError, TypeError, AttributeError):
        raise _unknown(
            client, "Pixxel accepted the order request, but its answer could not be read."
        ) from None


def _order(client: PixxelClient, answer: Any) -> Order:
    try:
        return Order.from_json(answer)
    except (ValueError, TypeError, AttributeError) as exc:
        host = urlsplit(client.base_url).netloc
        raise UnexpectedResponseError(
            f"The server at {host} sent data in a shape Pixxel's API does not use ({exc})."
        ) from None


def _refused(error: PixxelError, suffix: str) -> PixxelError:
    """The same error, with the reasons Pixxel gave in `details` (which items, which fields)."""
    reasons = _details_text(error.details)
    message = error.message + (f" Reasons: {server_text(reasons)}." if reasons else "")
    return type(error)(
        message + suffix, status=error.status, code=error.code, details=error.details
    )


def _details_text(details: Any) -> str:
    if isinstance(details, dict):
        return "; ".join(f"{key}: {_details_text(value)}" for key, value in details.items())
    if isinstance(details, (list, tuple)):
        return "; ".join(_details_text(value) for value in details)
    return "" if details is None else str(details).rstrip(".")


def _not_allowed(error: PixxelError) -> OrderingNotAllowedError:
    details = error.details if isinstance(error.details, dict) else {}
    permission = details.get("permission")
    missing = f", missing permission {server_text(str(permission))}" if permission else ""
    return OrderingNotAllowedError(
        f"Pixxel does not let this API key place orders (HTTP {error.status}{missing}). Its "
        "service account needs the right to order: ask your workspace administrator, or order "
        "in Aurora. Nothing was ordered.",
        status=error.status, code=error.code, details=error.details,
    )


def _unknown(client: PixxelClient, cause: str) -> OrderOutcomeUnknownError:
    return OrderOutcomeUnknownError(
        f"{cause.rstrip('.')}. The order request had been sent, so Pixxel may or may not have "
        "placed the order. Check your orders in Aurora before ordering again: the plugin does "
        "not send an order twice."
    )
