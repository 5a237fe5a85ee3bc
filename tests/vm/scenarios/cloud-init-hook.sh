# Scenario 4: the configuration arrives only as NoCloud user-data (a ramdax: key).
set -uo pipefail
source "$E2E_RESULTS/lib.sh"
record_facts
case $E2E_BOOT in
1)  check "the image has no active configuration (only comments)" sh -c "! grep -Ev '^[[:space:]]*(#|$)' /etc/ramdax-provision/config.yaml"
    check "the carve-out size comes from cloud-init's ramdax: key" sh -c "ramdax-provision plan --explain | grep -E '^  carveout.size +2G +cloud-init'"
    check "the previous boot of the agent asked for the reboot" grep -q "reboot" "$E2E_OUT/agent-journal-previous-boot.txt"
    check_layout ci "memmap=2G!5G"
    cp /run/cloud-init/instance-data.json "$E2E_OUT/instance-data.json" 2>/dev/null || true ;;
*)  echo "FAIL unexpected boot $E2E_BOOT" | tee -a "$CHECKS" ;;
esac
echo poweroff >"$E2E_ACTION_FILE"
