import type { ComponentStatus, StatusReason } from '../status/model.js';
import { writeForService } from './service-row-lock.js';
import type { SqlDb } from './sql-db.js';

/** The status last announced for a service, and since when it holds. */
export interface PublishedStatus {
  service: string;
  status: ComponentStatus;
  reasons: StatusReason[];
  since: number;
  updatedAt: number;
}

export interface StatusRepository {
  get(service: string): Promise<PublishedStatus | undefined>;
  list(): Promise<PublishedStatus[]>;
  /**
   * False, with nothing written, when the service does not exist (deleted since the watcher
   * looked, perhaps on another server): the write holds the service's row
   * (service-row-lock.ts), so it commits before a deletion or finds no service.
   */
  save(s: PublishedStatus): Promise<boolean>;
  delete(service: string): Promise<void>;
}

interface Row { service: string; status: ComponentStatus; reasons: string; since: number; updated_at: number }

export class SqlStatusRepository implements StatusRepository {
  constructor(private readonly db: SqlDb) {}

  async get(service: string): Promise<PublishedStatus | undefined> {
    const row = await this.db.get<Row>('SELECT service, status, reasons, since, updated_at FROM service_status WHERE service = ?', [service]);
    return row ? toPublished(row) : undefined;
  }

  async list(): Promise<PublishedStatus[]> {
    return (await this.db.all<Row>('SELECT service, status, reasons, since, updated_at FROM service_status ORDER BY service')).map(toPublished);
  }

  save(s: PublishedStatus): Promise<boolean> {
    return writeForService(this.db, s.service, async (tx) => {
      await tx.run(
        `INSERT INTO service_status (service, status, reasons, since, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (service) DO UPDATE SET status = excluded.status, reasons = excluded.reasons, since = excluded.since, updated_at = excluded.updated_at`,
        [s.service, s.status, JSON.stringify(s.reasons), s.since, s.updatedAt],
      );
    });
  }

  async delete(service: string): Promise<void> {
    await this.db.run('DELETE FROM service_status WHERE service = ?', [service]);
  }
}

function toPublished(r: Row): PublishedStatus {
  return { service: r.service, status: r.status, reasons: JSON.parse(r.reasons) as StatusReason[], since: Number(r.since), updatedAt: Number(r.updated_at) };
}
