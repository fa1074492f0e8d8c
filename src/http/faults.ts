import type { Request } from 'express';
import type { Fault } from '../core/prefer';

/** Runs `then` once the request body has been read to its end (and thrown away). */
function afterBody(req: Request, then: () => void): void {
  if (req.readableEnded) {
    then();
    return;
  }
  req.once('end', then);
  req.once('error', then);
  // Unread bytes left in the kernel's buffer would turn a close (FIN) into a reset (RST).
  req.resume();
}

/**
 * Breaks the connection the way `fault=` asks, before anything is processed: `connection-reset`
 * sends a TCP RST (the client reads ECONNRESET), `empty-response` closes it without a byte (curl's
 * "Empty reply from server"), `hang` never answers and leaves the socket open until the client or
 * the server closes it. `truncated-body` is no fault here: the answer is cut when sent (send.ts).
 * A hanging connection is closed when `shutdown` aborts (the server stops): it would never answer.
 * Returns whether the request is done with.
 */
export function breakConnection(req: Request, fault: Fault | undefined, shutdown?: AbortSignal): boolean {
  switch (fault) {
    case 'connection-reset':
      req.socket.resetAndDestroy();
      return true;
    case 'empty-response':
      afterBody(req, () => req.socket.destroy());
      return true;
    case 'hang': {
      // The body is still read, so a client waiting to finish its upload waits for the answer instead.
      afterBody(req, () => undefined);
      if (shutdown?.aborted) {
        req.socket.destroy();
      } else if (shutdown) {
        const close = () => req.socket.destroy();
        shutdown.addEventListener('abort', close, { once: true });
        req.socket.once('close', () => shutdown.removeEventListener('abort', close));
      }
      return true;
    }
    default:
      return false;
  }
}
