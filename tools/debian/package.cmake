# The Debian package (tools/package builds it; files in tools/debian/): `cpack` in the build folder
# after tools/package has made the manual page. What it installs is below;
# the maintainer scripts create the jejak user and /var/lib/jejak.
include(GNUInstallDirs)
set(JEJAK_PACKAGE_DIR ${CMAKE_CURRENT_LIST_DIR})
set(JEJAK_PACKAGE_STAGE ${CMAKE_BINARY_DIR}/package-stage)  # made by tools/package

install(TARGETS jejak RUNTIME DESTINATION bin)
install(FILES "${JEJAK_PACKAGE_DIR}/jejak@.service" "${JEJAK_PACKAGE_DIR}/jejak-backup@.service"
              "${JEJAK_PACKAGE_DIR}/jejak-backup@.timer" DESTINATION lib/systemd/system)
install(FILES ${JEJAK_PACKAGE_DIR}/sysusers.conf DESTINATION lib/sysusers.d RENAME jejak.conf)
install(FILES ${JEJAK_PACKAGE_DIR}/tmpfiles.conf DESTINATION lib/tmpfiles.d RENAME jejak.conf)
install(FILES ${JEJAK_PACKAGE_DIR}/copyright DESTINATION share/doc/jejak)
install(FILES ${JEJAK_PACKAGE_STAGE}/jejak.1.gz DESTINATION share/man/man1 OPTIONAL)
install(FILES ${JEJAK_PACKAGE_STAGE}/changelog.gz ${JEJAK_PACKAGE_STAGE}/README.md.gz
        DESTINATION share/doc/jejak OPTIONAL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME jejak)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Jejak maintainers <maintainers@users.noreply.h-seed-a09a0411.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "peer-replicated signed Merkle log for auditing PKH disbursements")
# The extended description (CPack puts the summary above it and indents it).
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "Jejak keeps an institution's signed, append-only Merkle log of what it did
in the disbursement of PKH social assistance (Program Keluarga Harapan),
replicates and witnesses the logs of the other institutions over TLS, and
audits them. Logs follow C2SP tlog-tiles, signed-note, tlog-checkpoint,
tlog-cosignature and tlog-witness.
.
This package holds the jejak command, the jejak@.service systemd unit that
runs a node at boot as the jejak user, its nightly backup timer, and the
runbook for an office: install, configure, back up, restore and recover a
node from its peers.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # jejak_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://jejak.example/")
# The shared libraries the binary links (dpkg-shlibdeps), and the tools the
# maintainer scripts use.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# fonts-dejavu-core: the PDFs `jejak ba print` writes are set in DejaVu.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${JEJAK_PACKAGE_DIR}/postinst ${JEJAK_PACKAGE_DIR}/prerm ${JEJAK_PACKAGE_DIR}/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/package)
include(CPack)
