/**
 * The mail service refused the message (throttled, or a request it rejects): it certainly did not go out, so the
 * email's claim is given back for the retry. Any other failure of a send (a timeout) may hide a message that went
 * out: its claim stays, so nobody gets the email twice.
 */
export class MailNotSent extends Error {
  override name = 'MailNotSent';
}
