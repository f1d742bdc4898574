// Package cassa holds what every part of cassa shares, whatever the
// transport: the errors a Cassandra node answers with and the consistency
// levels a request asks for. It imports nothing of the module, so the
// Thrift transport (thrift/pool, thrift/columnfamily), the mapper (orm) and
// any later transport return the same values and callers test them the
// same way:
//
//	u, err := users.Get(ctx, id)
//	if errors.Is(err, cassa.ErrNotFound) {
//		// no such user
//	}
//	var ire *cassa.InvalidRequestError
//	if errors.As(err, &ire) {
//		log.Printf("Cassandra refused the request: %s", ire.Why)
//	}
//
// Errors about one transport's own machinery (a pool with no free
// connection, a broken socket, retries given up) belong to that transport's
// package.
package cassa
