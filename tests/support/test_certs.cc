#include "tests/support/test_certs.h"

#include <sys/stat.h>

#include <stdexcept>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace ps::testing {

namespace {

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run(argv);
  if (!result.ok()) throw std::runtime_error(result.describe("openssl " + args.front()));
}

// P-256 keys: generated in milliseconds, unlike RSA, and GnuTLS (Debian's libldap) accepts them.
const std::vector<std::string> kNewKey = {"-newkey", "ec", "-pkeyopt",
                                          "ec_paramgen_curve:prime256v1", "-nodes"};

}  // namespace

TestCertificates make_test_certificates(const std::string& dir, const std::string& ip_address) {
  TestCertificates certs{dir + "/ca.crt", dir + "/server.crt", dir + "/server.key"};
  std::string ca_key = dir + "/ca.key";
  std::vector<std::string> ca_args = {"req",     "-x509",
                                      "-days",   "2",
                                      "-subj",   "/CN=portalsync test CA",
                                      "-keyout", ca_key,
                                      "-out",    certs.ca_file,
                                      "-addext", "basicConstraints=critical,CA:TRUE",
                                      "-addext", "keyUsage=critical,keyCertSign,cRLSign"};
  ca_args.insert(ca_args.begin() + 1, kNewKey.begin(), kNewKey.end());
  openssl(ca_args);

  std::string csr = dir + "/server.csr";
  std::vector<std::string> csr_args = {
      "req", "-subj", "/CN=" + ip_address, "-keyout", certs.key_file, "-out", csr};
  csr_args.insert(csr_args.begin() + 1, kNewKey.begin(), kNewKey.end());
  openssl(csr_args);
  ::chmod(certs.key_file.c_str(), 0600);

  std::string extensions = dir + "/server.ext";
  write_file(
      extensions,
      "subjectAltName=IP:" + ip_address +
          "\nbasicConstraints=CA:FALSE\n"
          "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
  openssl({"x509", "-req", "-days", "2", "-in", csr, "-CA", certs.ca_file, "-CAkey", ca_key,
           "-CAcreateserial", "-out", certs.cert_file, "-extfile", extensions});
  return certs;
}

ClientCertificate make_client_certificate(const std::string& dir, const std::string& name) {
  ClientCertificate cert{dir + "/" + name + ".crt", dir + "/" + name + ".key"};
  std::string csr = dir + "/" + name + ".csr";
  std::vector<std::string> csr_args = {
      "req", "-subj", "/O=portalsync tests/CN=" + name, "-keyout", cert.key_file, "-out", csr};
  csr_args.insert(csr_args.begin() + 1, kNewKey.begin(), kNewKey.end());
  openssl(csr_args);
  ::chmod(cert.key_file.c_str(), 0600);
  std::string extensions = dir + "/" + name + ".ext";
  write_file(extensions,
             "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
             "extendedKeyUsage=clientAuth\n");
  openssl({"x509", "-req", "-days", "2", "-in", csr, "-CA", dir + "/ca.crt", "-CAkey",
           dir + "/ca.key", "-CAcreateserial", "-out", cert.cert_file, "-extfile", extensions});
  return cert;
}

}  // namespace ps::testing
