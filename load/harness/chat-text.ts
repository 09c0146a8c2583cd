/** A typical chat line (68 bytes): the text of every message the harness sends, to the echo server and to Switchboard alike. */
export const CHAT_TEXT = 'Hi! Does the Pro plan include phone support, and can I switch later?';
