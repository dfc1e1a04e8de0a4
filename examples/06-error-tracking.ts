// Error tracking: counts by type and severity, redacted recent errors, nothing written to disk.
import { clearErrorStats, getErrorStats, trackDatabaseError, trackError } from 'hydra-logger';

clearErrorStats();
trackError('payment_failed', new Error('card declined for user@example.com'), { orderId: 42 });
trackError('test_error', 'Test error message');
trackDatabaseError(new Error('connection reset'));
const stats = getErrorStats();
if (stats.totalErrors !== 3) throw new Error(`totalErrors ${stats.totalErrors}`);
if (stats.byType.payment_failed !== 1) throw new Error(JSON.stringify(stats.byType));
if (JSON.stringify(stats.recent).includes('user@example.com'))
  throw new Error('a tracked error kept an e-mail address');
clearErrorStats();
if (getErrorStats().totalErrors !== 0) throw new Error('clear');
console.log('example ok: error-tracking');
