// The village scenario contract (sites, devices, reporting intervals) is defined by the firmware-sim work.
export {};
