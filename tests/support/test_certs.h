// A throwaway certificate authority and a server certificate for a loopback address (127.0.0.1
// unless told), made with the openssl command-line tool. The server certificate names the address
// in a subjectAltName IP entry: libldap checks the URL's host against it (use ldaps://127.0.0.1,
// not localhost).
#pragma once

#include <string>

namespace ps::testing {

struct TestCertificates {
  std::string ca_file;    // PEM CA certificate (what clients trust)
  std::string cert_file;  // PEM server certificate, signed by the CA
  std::string key_file;   // PEM server key, mode 600
};

// Writes ca.crt, server.crt, server.key (and scratch files) into dir. Throws on failure.
TestCertificates make_test_certificates(const std::string& dir,
                                        const std::string& ip_address = "127.0.0.1");

struct ClientCertificate {
  std::string cert_file;  // PEM client certificate (extendedKeyUsage clientAuth)
  std::string key_file;   // PEM key, mode 600
};

// A client certificate with subject CN=<name>, signed by the CA make_test_certificates left in
// dir (ca.crt, ca.key). Files: <name>.crt, <name>.key.
ClientCertificate make_client_certificate(const std::string& dir, const std::string& name);

}  // namespace ps::testing
