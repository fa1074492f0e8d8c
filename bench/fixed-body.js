/**
 * The fixed answer of the two bare servers: the envelope of one event, as the smart server writes it
 * for a single VEVENT (the README's first example), so the ceiling sends a body of realistic size.
 */
const FIXED_BODY = JSON.stringify({
  status: 0,
  response: [
    {
      objectId: '1',
      sourceId: '1234',
      title: 'Stand-up',
      description: '',
      start: '2025-01-15T08:00:00.0000000Z',
      end: '2025-01-15T08:15:00.0000000Z',
      allDay: false,
      repeatRule: '',
      isShared: false,
      permissions: {
        Data: {
          actions: [
            { id: 'read', name: 'Read only', defaultAction: true, defaultStyle: 'read' },
            { id: 'full_access', name: 'Full access', defaultAction: false, defaultStyle: 'full' },
          ],
          items: [
            {
              id: '6f3c1a52-8d2e-4b7a-9c1f-0e5d4a3b2c10',
              name: 'Valery Zykov',
              isGroup: false,
              canEdit: false,
              selectedAction: { id: 'owner', name: 'Owner', defaultAction: false, defaultStyle: '' },
            },
          ],
        },
      },
      isEditable: true,
      alert: { Type: 2 },
      owner: { objectId: '6f3c1a52-8d2e-4b7a-9c1f-0e5d4a3b2c10', name: 'Valery Zykov' },
      canUnsubscribe: false,
      uniqueId: 'standup@example.com',
      status: 1,
      TenantId: '1',
      Todo: false,
    },
  ],
});

module.exports = { FIXED_BODY };
