import type { Migration } from '../migration.js';

/** Announcements to subscribers are sent once per event key: the check reads this index. */
const ddl = 'CREATE INDEX alert_deliveries_event_key ON alert_deliveries (event_key);';

export const deliveryEventKeyMigration: Migration = { id: '740-delivery-event-key', sqlite: ddl, postgres: ddl };
