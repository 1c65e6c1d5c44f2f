// Example events from the seeds, written by hand (not derived from the catalog) with the row each
// must become in ClickHouse — so a catalog mistake fails a test instead of hiding in both places.

export const TS = '2024-05-06T07:08:09Z';
export const TS_ROW = '2024-05-06 07:08:09';

/** Seed 003: one event per marketplace type, and the row values expected (besides timestamp, user_id). */
export const marketplaceSamples: {
  name: string;
  table: string;
  fields: Record<string, unknown>;
  expect?: Record<string, unknown>;
}[] = [
  { name: 'PageVisit', table: 'page_visit', fields: { page_id: 11 } },
  { name: 'Searching', table: 'searching', fields: { query: 'red shoes' } },
  {
    name: 'Filtering',
    table: 'filtering',
    fields: { price_min: 9.5, price_max: null, rating_min: 4, rating_max: null },
  },
  { name: 'CartAdd', table: 'cart_add', fields: { item_id: 3 } },
  { name: 'CartDelete', table: 'cart_delete', fields: { item_id: 4 } },
  { name: 'Ordering', table: 'ordering', fields: { order_id: 501 } },
  { name: 'OrderCancel', table: 'order_cancel', fields: { order_id: 502 } },
  { name: 'ReviewReview', table: 'review_review', fields: { review_id: 77 } },
  { name: 'ReviewCreating', table: 'review_creating', fields: { review_id: 78, item_id: 2 } },
  { name: 'Registering', table: 'registering', fields: {} },
  { name: 'LoggingIn', table: 'logging_in', fields: { login_type: 2 } },
  { name: 'ProfileEdit', table: 'profile_edit', fields: {} },
  { name: 'MailingSubscription', table: 'mailing_subscription', fields: { subscription_type: 3 } },
  { name: 'SupportContact', table: 'support_contact', fields: { support_type: 1 } },
  { name: 'RecommendationView', table: 'recommendation_view', fields: { duration_seconds: 12.25 } },
  { name: 'SaleParticipation', table: 'sale_participation', fields: { sale_id: 9, item_id: 1 } },
  {
    name: 'ItemComparison',
    table: 'item_comparison',
    fields: { first_item_id: 1, second_item_id: 4, comparison_type: 0 },
  },
  { name: 'OrderHistoryViewing', table: 'order_history_viewing', fields: { duration_seconds: 3.5 } },
  {
    name: 'ItemReturn',
    table: 'item_return',
    fields: { item_id: 2, order_id: 501, reason_type: 0, reason_user_message: 'wrong colour' },
  },
  { name: 'PromoUsage', table: 'promo_usage', fields: { coupon_id: 12, order_id: 501 } },
  { name: 'CategoryView', table: 'category_view', fields: { category_id: 5, parent_category_id: null } },
];

/** Seed 004's request body, verbatim. */
export const seedView = {
  user_id: '46a5143b-9fbe-4483-a9be-30ebccf7132c',
  movie_id: '46a5143b-9fbe-4483-a9be-30ebccf7132c',
  movie_time_offset: 124000,
  created_at: '2022-02-03 12:03:05',
};
