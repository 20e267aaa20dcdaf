import { describe, expect, it } from "vitest";
import { normalizeMessagingLimit, normalizeQualityRating, parseHealthChange, readPhoneNumberHealth } from "./number-health.ts";

describe("number health vocabulary", () => {
  it("maps quality ratings, NA and anything unknown to UNKNOWN", () => {
    expect(["GREEN", "yellow", "RED", "NA", "UNKNOWN", "PURPLE"].map(normalizeQualityRating)).toEqual([
      "GREEN",
      "YELLOW",
      "RED",
      "UNKNOWN",
      "UNKNOWN",
      "UNKNOWN",
    ]);
    expect(normalizeQualityRating(undefined)).toBeUndefined();
    expect(normalizeQualityRating(3)).toBeUndefined();
  });

  it("accepts every form of the messaging limit Meta sends", () => {
    const cases: [unknown, unknown][] = [
      [250, "TIER_250"],
      [2000, "TIER_2K"],
      ["2000", "TIER_2K"],
      [10000, "TIER_10K"],
      [100000, "TIER_100K"],
      [-1, "TIER_UNLIMITED"],
      ["TIER_UNLIMITED", "TIER_UNLIMITED"],
      ["TIER_50", "TIER_250"],
      ["TIER_1K", "TIER_2K"],
      ["tier_10k", "TIER_10K"],
      ["TIER_NOT_SET", null],
      [1234, undefined],
      ["TIER_5", undefined],
      [null, undefined],
    ];
    for (const [input, expected] of cases) expect(normalizeMessagingLimit(input)).toBe(expected);
  });

  it("reads a phone number's health and ignores what it does not know", () => {
    expect(
      readPhoneNumberHealth({
        id: "1",
        status: "CONNECTED",
        quality_rating: "NA",
        throughput: { level: "HIGH" },
        whatsapp_business_manager_messaging_limit: "TIER_10K",
        name_status: "APPROVED",
        platform_type: "CLOUD_API",
      }),
    ).toEqual({
      metaStatus: "CONNECTED",
      qualityRating: "UNKNOWN",
      throughputLevel: "HIGH",
      messagingLimit: "TIER_10K",
      nameStatus: "APPROVED",
      platformType: "CLOUD_API",
    });
    expect(readPhoneNumberHealth({ messaging_limit_tier: "TIER_1K", status: "not a word!" })).toEqual({ messagingLimit: "TIER_2K" });
    expect(readPhoneNumberHealth("nonsense")).toEqual({});
  });

  it("parses the three health webhook fields, with `field` inside `value` too", () => {
    expect(
      parseHealthChange("9", "phone_number_quality_update", {
        display_phone_number: "15550783881",
        event: "THROUGHPUT_UPGRADE",
        current_limit: "TIER_UNLIMITED",
        max_daily_conversations_per_business: "TIER_2K",
      }),
    ).toEqual({
      wabaId: "9",
      field: "phone_number_quality_update",
      displayLast4: "3881",
      health: { messagingLimit: "TIER_2K", throughputLevel: "HIGH" },
    });
    expect(parseHealthChange("9", "business_capability_update", { max_daily_conversations_per_business: 2000 })?.health).toEqual({
      messagingLimit: "TIER_2K",
    });
    expect(
      parseHealthChange("9", "account_update", { field: "account_update", value: { event: "ACCOUNT_VIOLATION", violation_info: {} } })
        ?.health,
    ).toEqual({ accountEvent: "ACCOUNT_VIOLATION" });
    expect(
      parseHealthChange("9", "account_update", { event: "DISABLED_UPDATE", ban_info: { waba_ban_state: "REINSTATE" } })?.health,
    ).toEqual({
      accountEvent: "DISABLED_UPDATE_REINSTATE",
    });
    expect(parseHealthChange("9", "messages", {})).toBeUndefined();
    expect(parseHealthChange("9", "account_update", "text")).toBeUndefined();
    expect(parseHealthChange("9", "business_capability_update", { max_phone_numbers_per_waba: 25 })).toBeUndefined();
  });
});
