// Package expiry is Cassandra 3.11's expiration-date overflow handling
// (ExpirationDateOverflowHandling, CASSANDRA-14092), shared by the Thrift
// and CQL write paths of the embedded server.
//
// A cell's local expiration time is a 32-bit count of seconds, so a TTL
// that takes now + ttl past 2038-01-19T03:14:07Z cannot be represented.
// Cassandra's cassandra.expiration_date_overflow_policy decides what such
// a write does: REJECT (the default) refuses it with an
// InvalidRequestException, CAP accepts it with the expiration capped to
// MaxDeletionTime (2038-01-19T03:14:06Z), warning the client and logging
// a rate-limited warning, and CAP_NOWARN caps and only logs.
//
// A Guard applies one policy. Check is maybeApplyExpirationDateOverflowPolicy:
// the write paths call it where Cassandra does (ThriftValidation.validateTtl,
// Attributes.getTimeToLive) and turn its *OverflowError into their own
// InvalidRequestException. LocalExpirationTime is
// computeLocalExpirationTime, which the store uses for every expiring
// cell. A nil *Guard is a REJECT guard that logs nothing.
//
//	g := expiry.NewGuard(expiry.Cap, logger)
//	warning, err := g.Check("ks", "t", ttl, false, time.Now())
//	if err != nil {
//		return err // REJECT: the request fails
//	}
//	if warning != "" {
//		// CAP: send it to the client with the response
//	}
package expiry
