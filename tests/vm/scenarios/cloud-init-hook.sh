# Scenario 4: the configuration arrives only as NoCloud user-data (a write_files entry for config.d),
# and cloud-init stays healthy: done, no recoverable errors, its schema accepts the user-data.
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
case $E2E_BOOT in
1)  check "the image configures no carve-out (only comments and what user-data may set)" sh -c "! grep -Ev '^[[:space:]]*(#|$)|^metadata_may_set:' /etc/ramdax-provision/config.yaml"
    check "cloud-init wrote the user-data drop-in, root's and 0644" sh -c "stat -c '%U %a' /etc/ramdax-provision/config.d/90-user-data.yaml | grep -qx 'root 644'"
    check "the carve-out size comes from the user-data drop-in" sh -c "ramdax-provision plan --explain | grep -E '^  carveout.size +2G +/etc/ramdax-provision/config.d/90-user-data.yaml'"
    check "the plan carries no warning about the old ramdax: key" sh -c "! ramdax-provision plan 2>&1 | grep -q 'top-level ramdax: key'"
    check "cloud-init status --long says done" sh -c "cloud-init status --long | grep -qx 'status: done'"
    check "cloud-init status exits 0 (no recoverable errors)" cloud-init status
    check "cloud-init status --long lists no recoverable errors" sh -c "cloud-init status --long | grep -qx 'recoverable_errors: {}'"
    check "cloud-init schema --system accepts the user-data" cloud-init schema --system
    check "cloud-init logged no schema warning" sh -c "! grep -q 'failed schema validation' /var/log/cloud-init.log"
    check "the previous boot of the agent asked for the reboot" grep -q "reboot" "$E2E_OUT/agent-journal-previous-boot.txt"
    check_layout ci "memmap=2G!5G"
    report_system_state
    cp /run/cloud-init/instance-data.json "$E2E_OUT/instance-data.json" 2>/dev/null || true ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS" ;;
esac
echo poweroff >"$E2E_ACTION_FILE"
