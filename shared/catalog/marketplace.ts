// The marketplace events of seed 003, one table each (`page_visit`, `cart_add`, …), with the seed's
// fields, types, nullability (`?`) and enum ranges. Every one carries `timestamp` and `user_id`.
import * as v from 'valibot';
import { eventTime, float, int, intIn, text } from './columns.ts';
import { defineEventType, type Fields } from './event-type.ts';

const market = (name: string, description: string, fields: Fields) =>
  defineEventType({
    name,
    description,
    timeField: 'timestamp',
    orderBy: ['timestamp', 'user_id', 'event_id'],
    fields: { timestamp: eventTime('optional'), user_id: int(), ...fields },
  });

const nullable = <T extends v.GenericSchema>(schema: T) => v.optional(v.nullable(schema), null);

export const marketplace = [
  market('PageVisit', 'Product page viewed.', { page_id: int() }),
  market('Searching', 'Search bar used.', { query: text(2048) }),
  market('Filtering', 'Search filters or sorting applied.', {
    price_min: nullable(float()),
    price_max: nullable(float()),
    rating_min: nullable(float()),
    rating_max: nullable(float()),
  }),
  market('CartAdd', 'Item added to the cart.', { item_id: int() }),
  market('CartDelete', 'Item removed from the cart.', { item_id: int() }),
  market('Ordering', 'Order placed.', { order_id: int() }),
  market('OrderCancel', 'Order cancelled.', { order_id: int() }),
  market('ReviewReview', 'Review viewed.', { review_id: int() }),
  market('ReviewCreating', 'Review written for an item.', { review_id: int(), item_id: int() }),
  market('Registering', 'User registered.', {}),
  market('LoggingIn', 'User logged in; login_type 0 email/password, 1 phone code, 2 external service.', {
    login_type: intIn(0, 2),
  }),
  market('ProfileEdit', 'Profile edited.', {}),
  market('MailingSubscription', 'Mailing subscribed; subscription_type 1 all, 2 item offers, 3 themed sales.', {
    subscription_type: intIn(1, 3),
  }),
  market('SupportContact', 'Support contacted; support_type 1 mail, 2 call, 3 chat.', { support_type: intIn(1, 3) }),
  market('RecommendationView', 'Recommendations viewed.', { duration_seconds: float() }),
  market('SaleParticipation', 'Item bought in a sale.', { sale_id: int(), item_id: int() }),
  market('ItemComparison', 'Items compared; comparison_type 0 other/all, 1 price, 2 specs, 3 delivery date.', {
    first_item_id: int(),
    second_item_id: int(),
    comparison_type: intIn(0, 3),
  }),
  market('OrderHistoryViewing', 'Order history viewed.', { duration_seconds: float() }),
  market('ItemReturn', 'Item returned; reason_type 0 other (see message), 1 defect, 2 expired, 3 size, 4 quality.', {
    item_id: int(),
    order_id: int(),
    reason_type: intIn(0, 4),
    reason_user_message: nullable(text(4096)),
  }),
  market('PromoUsage', 'Coupon used on an order.', { coupon_id: int(), order_id: int() }),
  market('CategoryView', 'Category opened, from an optional parent category.', {
    category_id: int(),
    parent_category_id: nullable(int()),
  }),
];
